// Test models exercising the annotation options the other test models leave out: explicit
// types, names, nullability and autoincrement overrides, server defaults, comments with escapes,
// column info, named and unique indexes, unique and check constraints, onupdate, enums stored as
// text columns, and every relationship option.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "athanor/model.hpp"

enum class Stage { kOpen, kClosed ATHANOR_ENUM_VALUE("done") };

struct ATHANOR_TABLE(name = "ledger_accounts", comment = "Accounts \"kept\" by the ledger\n(v2)")
    ATHANOR_UNIQUE("owner", "code", name = "uq_ledger_owner_code")
        ATHANOR_INDEX("opened_on", name = "ix_ledger_opened", unique)
            ATHANOR_CHECK("balance >= 0", name = "ck_ledger_balance")
                ATHANOR_INDEX("stage") LedgerAccount {
  ATHANOR_COLUMN(primary_key, autoincrement = false, type = Integer) std::int64_t number = 0;
  ATHANOR_COLUMN(type = String(40), nullable = true) std::string owner;
  ATHANOR_COLUMN(name = "account_code", length = 12, index) std::string code;
  ATHANOR_COLUMN(type = Numeric(12), server_default = "0") double balance = 0;
  ATHANOR_COLUMN(type = Text, nullable = false) std::optional<std::string> notes;
  ATHANOR_COLUMN(type = DateTime(timezone = false)) athanor::Timestamp updated_at{};
  ATHANOR_COLUMN(type = Date, server_default = "'2000-01-01'") std::chrono::sys_days opened_on{};
  ATHANOR_COLUMN(type = String(8)) Stage stage = Stage::kOpen;
  ATHANOR_COLUMN(info = R"({"unit": "cents", "audited": true})", comment = "Minor units")
  std::int64_t limit_cents = 0;
};

struct ATHANOR_TABLE("ledger_entries") LedgerEntry {
  ATHANOR_COLUMN(primary_key) std::int32_t id = 0;
  ATHANOR_COLUMN(foreign_key = "ledger_accounts.number", ondelete = "restrict",
                 onupdate = "CASCADE")
  std::int32_t account_number = 0;
  ATHANOR_COLUMN(foreign_key = "ledger_accounts.number", ondelete = "SET NULL")
  std::optional<std::int32_t> counter_account;
  ATHANOR_COLUMN(foreign_key = "ledger_entries.id") std::optional<std::int32_t> reverses;
  double amount = 0;
  ATHANOR_RELATIONSHIP(foreign_keys = {"account_number"}, cascade = "save-update, expunge",
                       lazy = "joined")
  athanor::Reference<LedgerAccount> account;
  ATHANOR_RELATIONSHIP(foreign_keys = "ledger_entries.reverses", post_update, cascade = "none")
  athanor::Reference<LedgerEntry> reversal_of;
  ATHANOR_RELATIONSHIP(foreign_keys = "reverses", order_by = {"amount desc", "id asc"},
                       back_populates = "reversal_of_collection", cascade = "all")
  athanor::Collection<LedgerEntry> reversed_by;
  ATHANOR_RELATIONSHIP(foreign_keys = "reverses", back_populates = "reversed_by")
  athanor::Reference<LedgerEntry> reversal_of_collection;
};
