// The stored-configuration schema: what parse_settings accepts and the message it gives
// for what it rejects, formatting, overlay and application onto a ServerConfig; and the
// ConfigStore's current document and history over system objects.

#include "daemon/admin/settings.h"

#include <gtest/gtest.h>

#include "daemon/admin/admin.h"
#include "daemon/admin/config_store.h"
#include "tests/unit/daemon/admin/fake_layer.h"

namespace maxio::admin {
namespace {

using std::chrono::milliseconds;

TEST(SettingsTest, ParsesEveryKey) {
  auto settings = parse_settings(
      R"({"region": "eu-west-1", "scanner": {"interval": "90s", "deep_every": 4},
          "drive_probe_interval": "500ms"})");
  ASSERT_TRUE(settings.is_ok()) << settings.status().to_string();
  EXPECT_EQ(settings->region, "eu-west-1");
  EXPECT_EQ(settings->scanner_interval, milliseconds(90'000));
  EXPECT_EQ(settings->scanner_deep_every, 4);
  EXPECT_EQ(settings->drive_probe_interval, milliseconds(500));
}

TEST(SettingsTest, EveryKeyIsOptionalAndNullIsUnset) {
  auto settings = parse_settings(R"({"scanner": {"interval": null}, "region": null})");
  ASSERT_TRUE(settings.is_ok());
  EXPECT_EQ(*settings, ServerSettings{});
  settings = parse_settings("{}");
  ASSERT_TRUE(settings.is_ok());
  EXPECT_EQ(*settings, ServerSettings{});
  settings = parse_settings(R"({"scanner": {"interval": "0"}})");  // 0 turns it off
  ASSERT_TRUE(settings.is_ok());
  EXPECT_EQ(settings->scanner_interval, milliseconds(0));
}

struct Rejected {
  const char* document;
  const char* message_part;
};

TEST(SettingsTest, RejectsWithAMessageNamingTheKey) {
  const Rejected cases[] = {
      {"not json", "not valid JSON"},
      {"[1, 2]", "expected a JSON object"},
      {R"({"colour": "blue"})", "unknown key 'colour'"},
      {R"({"scanner": {"intervl": "1m"}})", "unknown key 'scanner.intervl'"},
      {R"({"scanner": "1m"})", "scanner: expected an object"},
      {R"({"scanner": {"interval": 60}})", "scanner.interval: expected a duration string"},
      {R"({"scanner": {"interval": "1 week"}})", "scanner.interval:"},
      {R"({"scanner": {"interval": "5d"}})", "unknown unit 'd'"},
      {R"({"scanner": {"interval": "200h"}})", "scanner.interval: at most 168h"},
      {R"({"scanner": {"deep_every": -1}})", "scanner.deep_every: expected an integer"},
      {R"({"scanner": {"deep_every": 1.5}})", "scanner.deep_every"},
      {R"({"scanner": {"deep_every": "3"}})", "scanner.deep_every"},
      {R"({"scanner": {"deep_every": 18446744073709551615}})", "scanner.deep_every"},
      {R"({"drive_probe_interval": true})", "drive_probe_interval: expected a duration"},
      {R"({"region": ""})", "region: expected 1 to 64"},
      {R"({"region": "us east"})", "region: only letters"},
      {R"({"region": 5})", "region: expected a string"},
  };
  for (const Rejected& c : cases) {
    auto settings = parse_settings(c.document);
    ASSERT_FALSE(settings.is_ok()) << c.document;
    EXPECT_EQ(settings.code(), ErrorCode::kInvalidArgument) << c.document;
    EXPECT_NE(settings.status().message().find(c.message_part), std::string::npos)
        << c.document << " -> " << settings.status().message();
  }
}

TEST(SettingsTest, FormatsIntervalsInTheLargestExactUnit) {
  EXPECT_EQ(format_interval(milliseconds(0)), "0");
  EXPECT_EQ(format_interval(milliseconds(1500)), "1500ms");
  EXPECT_EQ(format_interval(milliseconds(5000)), "5s");
  EXPECT_EQ(format_interval(milliseconds(90'000)), "90s");
  EXPECT_EQ(format_interval(milliseconds(120'000)), "2m");
  EXPECT_EQ(format_interval(milliseconds(7'200'000)), "2h");
}

TEST(SettingsTest, JsonRoundTripKeepsOnlySetKeys) {
  ServerSettings settings;
  settings.scanner_deep_every = 3;
  settings.drive_probe_interval = milliseconds(10'000);
  const auto document = settings_to_json(settings);
  EXPECT_EQ(document.dump(), R"({"scanner":{"deep_every":3},"drive_probe_interval":"10s"})");
  auto parsed = settings_from_json(document);
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(*parsed, settings);
  EXPECT_EQ(settings_to_json(ServerSettings{}).dump(), "{}");
}

TEST(SettingsTest, OverlayAndApply) {
  ServerConfig config;
  config.region = "us-east-1";
  config.scanner_interval = milliseconds(60'000);
  config.drive_probe_interval = milliseconds(5'000);
  config.deep_scan_every = 0;
  const ServerSettings base = settings_of(config);
  EXPECT_EQ(settings_to_json(base).dump(),
            R"({"region":"us-east-1","scanner":{"interval":"1m","deep_every":0},)"
            R"("drive_probe_interval":"5s"})");
  ServerSettings top;
  top.scanner_interval = milliseconds(30'000);
  const ServerSettings merged = overlay(base, top);
  EXPECT_EQ(merged.scanner_interval, milliseconds(30'000));
  EXPECT_EQ(merged.region, "us-east-1");
  const ServerConfig applied = apply_settings(config, top);
  EXPECT_EQ(applied.scanner_interval, milliseconds(30'000));
  EXPECT_EQ(applied.drive_probe_interval, milliseconds(5'000));
  EXPECT_EQ(applied.region, "us-east-1");
}

TEST(SettingsTest, PinnedKeysAreLeftOut) {
  ServerSettings stored;
  stored.region = "eu-west-1";
  stored.scanner_interval = milliseconds(30'000);
  stored.drive_probe_interval = milliseconds(2'000);
  EXPECT_EQ(keys_set(stored),
            (std::vector<std::string>{"region", "scanner.interval", "drive_probe_interval"}));
  const ServerSettings kept = without(stored, {"scanner.interval", "scanner.deep_every"});
  EXPECT_EQ(kept.region, "eu-west-1");
  EXPECT_FALSE(kept.scanner_interval.has_value());
  EXPECT_EQ(kept.drive_probe_interval, milliseconds(2'000));
  EXPECT_EQ(without(stored, {}), stored);
}

TEST(ConfigStoreTest, LoadIsEmptyUntilSaved) {
  testing::FakeAdminLayer layer;
  ConfigStore store(layer);
  auto loaded = store.load();
  ASSERT_TRUE(loaded.is_ok());
  EXPECT_EQ(*loaded, ServerSettings{});
  auto history = store.history();
  ASSERT_TRUE(history.is_ok());
  EXPECT_TRUE(history->empty());
}

TEST(ConfigStoreTest, SaveWritesCurrentAndHistoryNewestFirst) {
  testing::FakeAdminLayer layer;
  ConfigStore store(layer);
  const auto t0 = std::chrono::system_clock::now();
  ServerSettings first;
  first.scanner_interval = milliseconds(30'000);
  auto e1 = store.save(first, t0);
  ASSERT_TRUE(e1.is_ok()) << e1.status().to_string();
  ServerSettings second;
  second.region = "eu-west-1";
  auto e2 = store.save(second, t0 + milliseconds(5));
  ASSERT_TRUE(e2.is_ok());
  EXPECT_TRUE(is_valid_history_id(e1->id)) << e1->id;
  EXPECT_LT(e1->id, e2->id);

  auto loaded = store.load();
  ASSERT_TRUE(loaded.is_ok());
  EXPECT_EQ(*loaded, second);
  EXPECT_EQ(layer.system_objects().at("maxio/config.json"), R"({"region":"eu-west-1"})");

  auto history = store.history();
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].id, e2->id);
  EXPECT_EQ((*history)[0].settings, second);
  EXPECT_EQ((*history)[1].id, e1->id);
  EXPECT_EQ((*history)[1].settings, first);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>((*history)[1].time - t0).count(), 0);

  // Restoring is saving an old entry's settings with where they came from.
  auto old = store.entry(e1->id);
  ASSERT_TRUE(old.is_ok());
  auto e3 = store.save(old->settings, t0 + milliseconds(10), e1->id);
  ASSERT_TRUE(e3.is_ok());
  EXPECT_EQ(*store.load(), first);
  history = store.history();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].restored_from, e1->id);
}

// Regression: two changes in one millisecond were ordered by their random suffix.
TEST(ConfigStoreTest, IdsFollowTheOrderOfChangesWhateverTheClock) {
  testing::FakeAdminLayer layer;
  ConfigStore store(layer);
  const auto t0 = std::chrono::system_clock::now();
  const std::chrono::system_clock::time_point times[] = {t0, t0, t0, t0 - std::chrono::hours(1)};
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ServerSettings settings;
    settings.scanner_deep_every = i;
    auto entry = store.save(settings, times[i]);
    ASSERT_TRUE(entry.is_ok());
    if (!ids.empty()) EXPECT_LT(ids.back(), entry->id);
    ids.push_back(entry->id);
  }
  auto history = store.history();
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ((*history)[3 - i].settings.scanner_deep_every, i);
  // The entry keeps the real time (to the millisecond, as stored).
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>((*history)[0].time - times[3]).count(), 0);
}

TEST(ConfigStoreTest, UnknownOrMalformedIdsAreNotFound) {
  testing::FakeAdminLayer layer;
  ConfigStore store(layer);
  for (const char* id : {"", "../config", "1700000000000-0123456g", "1700000000000-01234567x",
                         "1700000000000_01234567", "1700000000000-01234567"}) {
    EXPECT_EQ(store.entry(id).code(), ErrorCode::kNoSuchKey) << id;
  }
}

TEST(ConfigStoreTest, KeepsTheNewestEntriesOnly) {
  testing::FakeAdminLayer layer;
  ConfigStore store(layer, /*max_history=*/3);
  const auto t0 = std::chrono::system_clock::now();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ServerSettings settings;
    settings.scanner_deep_every = i;
    auto entry = store.save(settings, t0 + milliseconds(i));
    ASSERT_TRUE(entry.is_ok());
    ids.push_back(entry->id);
  }
  auto history = store.history();
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].id, ids[4]);
  EXPECT_EQ((*history)[2].id, ids[2]);
  EXPECT_EQ(store.entry(ids[0]).code(), ErrorCode::kNoSuchKey);
}

TEST(ConfigStoreTest, InvalidStoredDocumentFailsLoad) {
  testing::FakeAdminLayer layer;
  ASSERT_TRUE(layer.write_system_object("maxio/config.json", R"({"bogus": 1})").is_ok());
  ConfigStore store(layer);
  EXPECT_EQ(store.load().code(), ErrorCode::kInvalidArgument);
  ServerConfig config;
  config.region = "us-east-1";
  EXPECT_EQ(with_stored_settings(layer, config).code(), ErrorCode::kInvalidArgument);
}

TEST(ConfigStoreTest, WithStoredSettingsAppliesThem) {
  testing::FakeAdminLayer layer;
  ServerConfig config;
  config.region = "us-east-1";
  auto unchanged = with_stored_settings(layer, config);
  ASSERT_TRUE(unchanged.is_ok());
  EXPECT_EQ(unchanged->region, "us-east-1");
  ASSERT_TRUE(layer
                  .write_system_object("maxio/config.json",
                                       R"({"region":"eu-west-1","scanner":{"interval":"2m"}})")
                  .is_ok());
  auto applied = with_stored_settings(layer, config);
  ASSERT_TRUE(applied.is_ok());
  EXPECT_EQ(applied->region, "eu-west-1");
  EXPECT_EQ(applied->scanner_interval, milliseconds(120'000));
}

}  // namespace
}  // namespace maxio::admin
