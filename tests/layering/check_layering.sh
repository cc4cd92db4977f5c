#!/usr/bin/env bash
# Checks the one-way dependencies of docs/architecture.md by reading #include lines:
#  - core/ and include/athanor/core/ never include the ORM, the generator or mapping headers;
#  - only core/dialects/<db>/ includes a database client library header;
#  - only codegen/ includes libclang;
#  - outside core/dialects/, no code compares against a backend's name.
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
failed=0
fail() { echo "layering violation: $*"; failed=1; }

while IFS= read -r hit; do fail "core includes a higher layer: $hit"; done < <(
  grep -rnE '#include\s*[<"](athanor/orm|athanor/model\.hpp|athanor/mapping|orm/|codegen/)' core include/athanor/core 2>/dev/null)

for header in sqlite3.h libpq-fe.h mysql.h; do
  while IFS= read -r hit; do
    case "$hit" in
      core/dialects/*) ;;
      *) fail "$header included outside core/dialects/: $hit" ;;
    esac
  done < <(grep -rnE "#include\s*[<\"]($header|mariadb/$header)[>\"]" core orm include codegen 2>/dev/null)
done
for db in sqlite postgresql mysql; do
  while IFS= read -r hit; do
    case "$hit" in
      core/dialects/$db/*) ;;
      *) fail "a $db-only header is included outside core/dialects/$db: $hit" ;;
    esac
  done < <(grep -rnE "#include\s*[<\"]core/dialects/$db/" core orm include 2>/dev/null |
           grep -v '^core/dialects/registry.cpp')
done

while IFS= read -r hit; do fail "libclang included outside codegen/: $hit"; done < <(
  grep -rnE '#include\s*[<"]clang-c/' core orm include 2>/dev/null)

while IFS= read -r hit; do fail "backend name compared outside core/dialects/: $hit"; done < <(
  grep -rnE '(==|!=)\s*"(sqlite|postgresql|postgres|mysql|mariadb)"' core orm include 2>/dev/null |
  grep -v '^core/dialects/')

if [ "$failed" = 0 ]; then echo "layering: ok"; fi
exit $failed
