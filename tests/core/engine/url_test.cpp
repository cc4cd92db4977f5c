// Unit tests: database URL parsing and rendering (core/engine/url.cpp).
#include <gtest/gtest.h>

#include "athanor/core/engine.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/url.hpp"

namespace athanor {
namespace {

TEST(UrlTest, PostgresqlFull) {
  URL u = URL::parse("postgresql+libpq://scott:tiger@db.example.com:5433/app?sslmode=disable");
  EXPECT_EQ(u.drivername, "postgresql");
  EXPECT_EQ(u.driver, "libpq");
  EXPECT_EQ(u.username, "scott");
  EXPECT_EQ(u.password, "tiger");
  EXPECT_EQ(u.host, "db.example.com");
  EXPECT_EQ(u.port, 5433);
  EXPECT_EQ(u.database, "app");
  EXPECT_EQ(u.query.at("sslmode"), "disable");
  EXPECT_EQ(u.render(), "postgresql+libpq://scott:***@db.example.com:5433/app?sslmode=disable");
  EXPECT_EQ(u.render(false),
            "postgresql+libpq://scott:tiger@db.example.com:5433/app?sslmode=disable");
}

TEST(UrlTest, PercentEscapesInUserPasswordAndDatabase) {
  URL u = URL::parse("mysql://us%40er:p%3Aa%2Fs%40s%25@127.0.0.1/my%20db");
  EXPECT_EQ(u.username, "us@er");
  EXPECT_EQ(u.password, "p:a/s@s%");
  EXPECT_EQ(u.database, "my db");
  EXPECT_EQ(URL::parse(u.render(false)).password, "p:a/s@s%");
}

TEST(UrlTest, PasswordWithAtSignUsesLastAt) {
  URL u = URL::parse("mariadb://user:p@ss@localhost:3306/db");
  EXPECT_EQ(u.drivername, "mariadb");
  EXPECT_EQ(u.password, "p@ss");
  EXPECT_EQ(u.host, "localhost");
}

TEST(UrlTest, Ipv6Host) {
  URL u = URL::parse("postgresql://u@[::1]:5432/db");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 5432);
}

TEST(UrlTest, SqliteForms) {
  EXPECT_EQ(URL::parse("sqlite:///data/app.db").database, "data/app.db");
  EXPECT_EQ(URL::parse("sqlite:////var/lib/app.db").database, "/var/lib/app.db");
  EXPECT_EQ(URL::parse("sqlite:///:memory:").database, ":memory:");
  EXPECT_EQ(URL::parse("sqlite://").database, std::nullopt);
  EXPECT_EQ(URL::parse("sqlite:////var/lib/app.db").render(), "sqlite:////var/lib/app.db");
  EXPECT_EQ(URL::parse("sqlite:///data/app.db").render(), "sqlite:///data/app.db");
  EXPECT_EQ(URL::parse("sqlite:///x.db?timeout=3").query.at("timeout"), "3");
}

void expect_argument_error(const std::string& url, const std::string& fragment) {
  try {
    URL::parse(url);
    FAIL() << "no error for " << url;
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
        << "message '" << e.what() << "' lacks '" << fragment << "'";
  }
}

TEST(UrlTest, MalformedInputNamesThePart) {
  expect_argument_error("", "empty");
  expect_argument_error("postgresql:/localhost/db", "missing '<backend>://'");
  expect_argument_error("://localhost/db", "missing backend name");
  expect_argument_error("Post gres://x/db", "invalid characters");
  expect_argument_error("postgresql://u@host:port/db", "port 'port'");
  expect_argument_error("postgresql://u@host:70000/db", "port '70000'");
  expect_argument_error("postgresql://u@host:/db", "empty port");
  expect_argument_error("postgresql://u:%zz@host/db", "percent-escape in the password");
  expect_argument_error("postgresql://host/db?novalue", "query option 'novalue'");
  expect_argument_error("postgresql+://h/db", "empty driver name");
}

TEST(UrlTest, ErrorMessagesHideThePassword) {
  try {
    URL::parse("postgresql://u:secret@host:bad/db");
    FAIL();
  } catch (const ArgumentError& e) {
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

TEST(UrlTest, UnsupportedBackendIsAnArgumentError) {
  try {
    create_engine("oracle://u:p@h/db");
    FAIL();
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("unsupported database backend 'oracle'"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace athanor
