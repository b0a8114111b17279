// The console's models fed with admin API documents (the shapes of docs/admin-api.md),
// each also watched by Qt's QAbstractItemModelTester, which aborts on any violation of
// the QAbstractItemModel contract (bad parents, rows, signals).
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <nlohmann/json.hpp>

#include "gui/core/buckets_model.h"
#include "gui/core/server_info_model.h"
#include "gui/core/topology_model.h"

namespace maxio::console {
namespace {

using Json = nlohmann::ordered_json;
using Mode = QAbstractItemModelTester::FailureReportingMode;

// Counts resets and dataChanged signals of a model.
struct SignalCounter {
  explicit SignalCounter(QAbstractItemModel& model) {
    QObject::connect(&model, &QAbstractItemModel::modelReset, [this] { ++resets; });
    QObject::connect(&model, &QAbstractItemModel::dataChanged, [this] { ++changes; });
  }
  int resets = 0;
  int changes = 0;
};

const char* kInfo = R"({"version":"0.1.0","started":"2024-05-06T07:00:00.000Z",
  "uptime_seconds":125,"deployment_id":"3bfabac9-e550-44f3-80b3-302886c4bfcd",
  "region":"us-east-1","endpoints":["http://127.0.0.1:9000","http://10.0.0.5:9000"],
  "pools":1,"sets":1,"drives":6,"drives_online":5,"drives_offline":1,"drives_healing":0,
  "parity":{"standard":3,"rrs":1}})";

TEST(ServerInfoModel, ShowsEveryOverviewField) {
  ServerInfoModel model;
  QAbstractItemModelTester tester(&model, Mode::Fatal);
  model.update(Json::parse(kInfo));
  EXPECT_EQ(model.columnCount(), 2);
  EXPECT_EQ(model.rowCount(), 9);
  EXPECT_EQ(model.value("Version"), "0.1.0");
  EXPECT_EQ(model.value("Uptime"), "2m 5s");
  EXPECT_EQ(model.value("Deployment ID"), "3bfabac9-e550-44f3-80b3-302886c4bfcd");
  EXPECT_EQ(model.value("Endpoints"), "http://127.0.0.1:9000, http://10.0.0.5:9000");
  EXPECT_EQ(model.value("Pools / sets / drives"), "1 / 1 / 6");
  EXPECT_EQ(model.value("Drives online / offline / healing"), "5 / 1 / 0");
  EXPECT_EQ(model.value("Parity"), "STANDARD EC:3, REDUCED_REDUNDANCY EC:1");
  EXPECT_EQ(model.index(0, 0).data().toString(), "Version");
  EXPECT_EQ(model.index(0, 1).data().toString(), "0.1.0");
  EXPECT_EQ(model.headerData(1, Qt::Horizontal).toString(), "Value");
}

TEST(ServerInfoModel, RefreshUpdatesInPlaceAndIgnoresNonObjects) {
  ServerInfoModel model;
  QAbstractItemModelTester tester(&model, Mode::Fatal);
  model.update(Json::parse(kInfo));
  SignalCounter signals_seen(model);
  Json later = Json::parse(kInfo);
  later["uptime_seconds"] = 3 * 3600 + 60;
  model.update(later);
  EXPECT_EQ(signals_seen.resets, 0);
  EXPECT_EQ(signals_seen.changes, 1);
  EXPECT_EQ(model.value("Uptime"), "3h 1m");
  model.update(Json::parse("[1,2]"));
  model.update(Json());
  EXPECT_EQ(model.value("Uptime"), "3h 1m");
  model.clear();
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_EQ(model.value("Version"), "");
}

// Two pools: pool 0 one set of four drives (one offline, one healing), pool 1 two sets of
// two healthy drives.
Json topology_document() {
  auto drive = [](const char* endpoint, const char* state, int pool, int set, int index,
                  uint64_t used, uint64_t free, uint64_t healed, const char* reason = "") {
    return Json{{"endpoint", endpoint},   {"state", state},
                {"reason", reason},       {"uuid", std::string("uuid-") + endpoint},
                {"pool", pool},           {"set", set},
                {"index", index},         {"total_bytes", used + free},
                {"free_bytes", free},     {"used_bytes", used},
                {"healed_shards", healed}};
  };
  Json doc = {{"deployment_id", "d"}, {"parity", {{"standard", 2}, {"rrs", 1}}}};
  doc["pools"] = Json::array();
  doc["pools"].push_back({{"index", 0},
                          {"drives_per_set", 4},
                          {"sets",
                           {{{"index", 0},
                             {"drives",
                              {drive("/d1", "online", 0, 0, 0, 100, 900, 0),
                               drive("/d2", "offline", 0, 0, 1, 0, 0, 0, "drive not found"),
                               drive("/d3", "healing", 0, 0, 2, 50, 950, 7),
                               drive("/d4", "online", 0, 0, 3, 100, 900, 1)}}}}}});
  doc["pools"].push_back({{"index", 1},
                          {"drives_per_set", 2},
                          {"sets",
                           {{{"index", 0},
                             {"drives",
                              {drive("/e1", "online", 1, 0, 0, 10, 90, 0),
                               drive("/e2", "online", 1, 0, 1, 10, 90, 0)}}},
                            {{"index", 1},
                             {"drives",
                              {drive("/e3", "online", 1, 1, 0, 10, 90, 0),
                               drive("/e4", "online", 1, 1, 1, 10, 90, 0)}}}}}});
  return doc;
}

TEST(TopologyModel, PoolsSetsDrivesWithStatesAndUsage) {
  TopologyModel model;
  QAbstractItemModelTester tester(&model, Mode::Fatal);
  model.update(topology_document());

  ASSERT_EQ(model.rowCount(), 2);
  QModelIndex pool0 = model.index(0, TopologyModel::kName);
  QModelIndex pool1 = model.index(1, TopologyModel::kName);
  EXPECT_EQ(pool0.data().toString(), "Pool 0");
  EXPECT_EQ(model.rowCount(pool0), 1);
  EXPECT_EQ(model.rowCount(pool1), 2);
  QModelIndex set00 = model.index(0, 0, pool0);
  EXPECT_EQ(set00.data().toString(), "Set 0");
  ASSERT_EQ(model.rowCount(set00), 4);
  EXPECT_EQ(model.parent(set00), pool0);
  QModelIndex d2 = model.index(1, TopologyModel::kName, set00);
  EXPECT_EQ(d2.data().toString(), "/d2");
  EXPECT_EQ(model.parent(d2), set00);
  EXPECT_EQ(model.rowCount(d2), 0);

  auto cell = [&](int row, int column, const QModelIndex& parent, int role = Qt::DisplayRole) {
    return model.index(row, column, parent).data(role);
  };
  // Drives: state, colour, bytes, healed shards, UUID or reason.
  EXPECT_EQ(cell(0, TopologyModel::kState, set00).toString(), "online");
  EXPECT_EQ(cell(1, TopologyModel::kState, set00).toString(), "offline");
  EXPECT_EQ(cell(2, TopologyModel::kState, set00, TopologyModel::kStateRole).toString(), "healing");
  EXPECT_EQ(cell(1, TopologyModel::kState, set00, Qt::BackgroundRole).value<QColor>(),
            TopologyModel::state_colour("offline"));
  EXPECT_EQ(cell(0, TopologyModel::kState, set00, Qt::BackgroundRole).value<QColor>(),
            TopologyModel::state_colour("online"));
  EXPECT_NE(TopologyModel::state_colour("online"), TopologyModel::state_colour("offline"));
  EXPECT_NE(TopologyModel::state_colour("healing"), TopologyModel::state_colour("online"));
  EXPECT_FALSE(TopologyModel::state_colour("weird").isValid());
  EXPECT_EQ(cell(0, TopologyModel::kUsed, set00).toString(), "100 B");
  EXPECT_EQ(cell(0, TopologyModel::kTotal, set00, TopologyModel::kBytesRole).toULongLong(), 1000u);
  EXPECT_EQ(cell(2, TopologyModel::kHealed, set00).toString(), "7");
  EXPECT_EQ(cell(1, TopologyModel::kDetails, set00).toString(), "drive not found");
  EXPECT_EQ(cell(0, TopologyModel::kDetails, set00).toString(), "uuid-/d1");

  // Sets and pools: sums and the worst state.
  EXPECT_EQ(cell(0, TopologyModel::kState, pool0, TopologyModel::kStateRole).toString(),
            "degraded");
  EXPECT_EQ(cell(0, TopologyModel::kState, pool0).toString(), "degraded (2/4)");
  EXPECT_EQ(cell(0, TopologyModel::kUsed, pool0, TopologyModel::kBytesRole).toULongLong(), 250u);
  EXPECT_EQ(cell(0, TopologyModel::kHealed, pool0).toString(), "8");
  EXPECT_EQ(model.index(1, TopologyModel::kState).data(TopologyModel::kStateRole).toString(),
            "online");
  EXPECT_EQ(model.index(1, TopologyModel::kDetails).data().toString(), "2 drives per set");

  EXPECT_EQ(model.drive_count(), 8);
  EXPECT_EQ(model.drives_in_state("online"), 6);
  EXPECT_EQ(model.drives_in_state("offline"), 1);
  EXPECT_EQ(model.drives_in_state("healing"), 1);
}

TEST(TopologyModel, SetStatesFromDriveStates) {
  TopologyModel model;
  Json doc = topology_document();
  auto& drives = doc["pools"][0]["sets"][0]["drives"];
  for (auto& drive : drives) drive["state"] = "offline";
  model.update(doc);
  EXPECT_EQ(model.index(0, TopologyModel::kState).data(TopologyModel::kStateRole), "offline");
  for (auto& drive : drives) drive["state"] = "online";
  drives[3]["state"] = "healing";
  model.update(doc);
  EXPECT_EQ(model.index(0, TopologyModel::kState).data(TopologyModel::kStateRole), "healing");
}

TEST(TopologyModel, SameShapeUpdatesInPlaceOtherShapeResets) {
  TopologyModel model;
  QAbstractItemModelTester tester(&model, Mode::Fatal);
  model.update(topology_document());
  QModelIndex d2 = model.index(1, 0, model.index(0, 0, model.index(0, 0)));
  QPersistentModelIndex kept(d2);
  SignalCounter signals_seen(model);

  Json doc = topology_document();
  doc["pools"][0]["sets"][0]["drives"][1]["state"] = "online";  // the drive came back
  doc["pools"][0]["sets"][0]["drives"][1]["reason"] = "";
  model.update(doc);
  EXPECT_EQ(signals_seen.resets, 0);
  EXPECT_GT(signals_seen.changes, 0);
  ASSERT_TRUE(kept.isValid());  // a view keeps its expansion and selection
  EXPECT_EQ(model.index(kept.row(), TopologyModel::kState, kept.parent()).data().toString(),
            "online");
  EXPECT_EQ(model.drives_in_state("offline"), 0);

  doc["pools"].erase(1);  // a pool less: another shape
  model.update(doc);
  EXPECT_EQ(signals_seen.resets, 1);
  EXPECT_EQ(model.rowCount(), 1);
  EXPECT_EQ(model.drive_count(), 4);

  model.update(Json::parse(R"({"pools":"nope"})"));  // not a topology: kept as it is
  EXPECT_EQ(model.drive_count(), 4);
  model.clear();
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_EQ(model.drive_count(), 0);
}

TEST(BucketsModel, CountsFromDataUsageNamesFromListBuckets) {
  BucketsModel model;
  QAbstractItemModelTester tester(&model, Mode::Fatal);
  std::vector<ListedBucket> listed = {{"alpha", "2024-05-06T07:00:00.000Z"},
                                      {"beta", "2024-05-06T07:01:00.000Z"},
                                      {"fresh", "2024-05-06T07:09:00.000Z"}};
  auto usage = Json::parse(R"({"updated":"2024-05-06T07:08:09.000Z",
    "buckets":[{"bucket":"alpha","objects":3,"bytes":3000},{"bucket":"beta","objects":1,"bytes":10},
               {"bucket":"deleted","objects":9,"bytes":9}],
    "totals":{"buckets":3,"objects":13,"bytes":3019}})");
  model.update(listed, usage);
  ASSERT_EQ(model.rowCount(), 3);  // "deleted" is no longer listed: left out
  EXPECT_EQ(model.index(0, BucketsModel::kName).data().toString(), "alpha");
  EXPECT_EQ(model.index(0, BucketsModel::kObjects).data().toString(), "3");
  EXPECT_EQ(model.index(0, BucketsModel::kSize).data().toString(), "2.9 KiB");
  EXPECT_EQ(model.index(0, BucketsModel::kSize).data(BucketsModel::kSortRole).toLongLong(), 3000);
  EXPECT_EQ(model.index(1, BucketsModel::kCreated).data().toString(), "2024-05-06T07:01:00.000Z");
  // Created after the scan: no counts yet.
  EXPECT_EQ(model.index(2, BucketsModel::kObjects).data().toString(), "-");
  EXPECT_EQ(model.index(2, BucketsModel::kObjects).data(BucketsModel::kSortRole).toLongLong(), -1);
  EXPECT_EQ(model.total_objects(), 4u);
  EXPECT_EQ(model.total_bytes(), 3010u);
  EXPECT_TRUE(model.usage_note().contains("2024-05-06T07:08:09.000Z"));

  SignalCounter signals_seen(model);
  model.update(listed, Json());  // usage failed this time
  EXPECT_EQ(signals_seen.resets, 0);
  EXPECT_EQ(signals_seen.changes, 1);
  EXPECT_EQ(model.index(0, BucketsModel::kObjects).data().toString(), "-");
  EXPECT_TRUE(model.usage_note().startsWith("No scan finished yet"));
  listed.pop_back();
  model.update(listed, usage);
  EXPECT_EQ(signals_seen.resets, 1);
  EXPECT_EQ(model.rowCount(), 2);
}

}  // namespace
}  // namespace maxio::console
