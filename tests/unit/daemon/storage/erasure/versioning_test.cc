// Object versioning in an erasure set (one drive and six): versions with their own data
// directories or inline data in one xl.meta, delete markers, deleting single versions,
// the null version under Suspended, ListObjectVersions pagination, and healing every
// version onto replaced drives.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "daemon/storage/erasure/server_pools.h"
#include "daemon/storage/object_layer.h"
#include "daemon/storage/xlmeta/xl_meta.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

std::string pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  std::mt19937 rng(seed);
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Directories (data dirs) directly inside an object directory.
std::set<std::string> data_dirs(const fs::path& object_dir) {
  std::set<std::string> out;
  if (!fs::exists(object_dir)) return out;
  for (const auto& e : fs::directory_iterator(object_dir)) {
    if (e.is_directory()) out.insert(e.path().filename().string());
  }
  return out;
}

// Small enough to be inline on either set size, large enough for part files on both.
constexpr size_t kInlineSize = 1000;
constexpr size_t kPartSize = 3 * 1024 * 1024 + 17;

class VersioningTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/maxio-versions-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    open();
    ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  }
  void TearDown() override {
    layer_.reset();
    fs::remove_all(base_);
  }

  int drives() const { return GetParam(); }
  std::string drive(int i) const { return base_ + "/d" + std::to_string(i); }

  void open() {
    layer_.reset();
    ObjectLayerOptions options;
    PoolLayout pool;
    for (int i = 1; i <= drives(); ++i) pool.drive_paths.push_back(drive(i));
    pool.set_drive_count = drives();
    options.pools = {pool};
    options.scanner_interval = std::chrono::milliseconds(0);
    options.probe_interval = std::chrono::milliseconds(10);
    options.heal_on_access = false;
    options.sync = false;
    if (drives() == 6) options.standard_parity = 2;
    auto layer = open_object_layer(options);
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    layer_ = std::move(*layer);
  }

  Result<ObjectInfo> put(const std::string& key, const std::string& data, bool versioned,
                         bool suspended = false) {
    StringReader reader(data);
    PutObjectOptions options;
    options.size = static_cast<int64_t>(data.size());
    options.versioned = versioned;
    options.version_suspended = suspended;
    return layer_->put_object("bucket", key, reader, options);
  }

  Result<std::string> get(const std::string& key, const std::string& version_id = "") {
    ObjectOptions options;
    options.version_id = version_id;
    MAXIO_TRY(auto reader, layer_->open_object("bucket", key, options));
    if (reader->info().delete_marker) return Status(ErrorCode::kNoSuchKey, "delete marker");
    return read_all(*reader, 64 << 20);
  }

  Result<ObjectInfo> info(const std::string& key, const std::string& version_id = "") {
    ObjectOptions options;
    options.version_id = version_id;
    return layer_->get_object_info("bucket", key, options);
  }

  Result<DeletedObject> remove(const std::string& key, const std::string& version_id,
                               bool versioned, bool suspended = false) {
    ObjectOptions options;
    options.version_id = version_id;
    options.versioned = versioned;
    options.version_suspended = suspended;
    return layer_->delete_object("bucket", key, options);
  }

  // The versions drive 1's xl.meta of `key` lists.
  std::vector<FileInfo> on_disk_versions(const std::string& key, int d = 1) {
    auto meta = XlMeta::parse(slurp(drive(d) + "/bucket/" + key + "/xl.meta"));
    if (!meta) return {};
    return meta->versions("bucket", key, false);
  }

  // Every version of every key, following the pagination markers with pages of `page`.
  std::vector<ObjectInfo> list_all_versions(int page, int* pages = nullptr) {
    std::vector<ObjectInfo> all;
    std::string key_marker, version_marker;
    for (int i = 0; i < 1000; ++i) {
      auto r = layer_->list_object_versions("bucket", "", key_marker, version_marker, "", page);
      EXPECT_TRUE(r.is_ok()) << r.status().to_string();
      if (!r) break;
      EXPECT_LE(static_cast<int>(r->versions.size()), page);
      for (auto& v : r->versions) all.push_back(v);
      if (pages) ++*pages;
      if (!r->is_truncated) break;
      key_marker = r->next_key_marker;
      version_marker = r->next_version_id_marker;
    }
    return all;
  }

  std::string base_;
  std::unique_ptr<ObjectLayer> layer_;
};

TEST_P(VersioningTest, EnabledKeepsEveryVersionReadable) {
  const std::vector<std::string> bodies = {pattern(kPartSize, 1), pattern(kInlineSize, 2),
                                           pattern(kPartSize + 5, 3)};
  std::vector<std::string> ids;
  for (const auto& body : bodies) {
    auto put_info = put("k", body, /*versioned=*/true);
    ASSERT_TRUE(put_info.is_ok()) << put_info.status().to_string();
    ASSERT_EQ(put_info->version_id.size(), 36u);
    ids.push_back(put_info->version_id);
  }
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 3u);
  for (size_t i = 0; i < bodies.size(); ++i) {
    auto got = get("k", ids[i]);
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    EXPECT_TRUE(*got == bodies[i]) << i;
    auto meta = info("k", ids[i]);
    ASSERT_TRUE(meta.is_ok());
    EXPECT_EQ(meta->version_id, ids[i]);
    EXPECT_EQ(meta->is_latest, i == 2);
  }
  auto latest = get("k");
  ASSERT_TRUE(latest.is_ok());
  EXPECT_TRUE(*latest == bodies[2]);
  // One xl.meta, newest first; the two large versions have data directories of their own,
  // the small one is inline.
  auto stored = on_disk_versions("k");
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].version_id, ids[2]);
  EXPECT_EQ(stored[2].version_id, ids[0]);
  EXPECT_TRUE(stored[1].inline_data());
  EXPECT_EQ(data_dirs(drive(1) + "/bucket/k"),
            (std::set<std::string>{stored[0].data_dir, stored[2].data_dir}));
  // Unknown or malformed IDs name no version.
  EXPECT_EQ(get("k", "6ba7b810-9dad-11d1-80b4-00c04fd430c8").code(), ErrorCode::kNoSuchVersion);
  EXPECT_EQ(info("k", "not-a-uuid").code(), ErrorCode::kNoSuchVersion);
  EXPECT_EQ(get("k", "null").code(), ErrorCode::kNoSuchVersion);
}

TEST_P(VersioningTest, DeleteMarkersHideTheObjectUntilRemoved) {
  auto v1 = put("k", pattern(kInlineSize, 4), true);
  ASSERT_TRUE(v1.is_ok());
  auto marker = remove("k", "", /*versioned=*/true);
  ASSERT_TRUE(marker.is_ok()) << marker.status().to_string();
  EXPECT_TRUE(marker->delete_marker);
  ASSERT_EQ(marker->delete_marker_version_id.size(), 36u);
  auto latest = info("k");
  ASSERT_TRUE(latest.is_ok());
  EXPECT_TRUE(latest->delete_marker);
  EXPECT_EQ(latest->version_id, marker->delete_marker_version_id);
  ObjectOptions none;
  auto reader = layer_->open_object("bucket", "k", none);
  ASSERT_TRUE(reader.is_ok());
  EXPECT_TRUE((*reader)->info().delete_marker);
  // The older version is still there, and listings without versions skip the key.
  EXPECT_TRUE(get("k", v1->version_id).is_ok());
  auto listed = layer_->list_objects("bucket", "", "", "", 100);
  ASSERT_TRUE(listed.is_ok());
  EXPECT_TRUE(listed->objects.empty());
  auto by_id = info("k", marker->delete_marker_version_id);
  ASSERT_TRUE(by_id.is_ok());
  EXPECT_TRUE(by_id->delete_marker);
  // Removing the marker by its ID brings the object back.
  auto undeleted = remove("k", marker->delete_marker_version_id, true);
  ASSERT_TRUE(undeleted.is_ok());
  EXPECT_TRUE(undeleted->delete_marker);
  EXPECT_EQ(undeleted->delete_marker_version_id, marker->delete_marker_version_id);
  auto back = info("k");
  ASSERT_TRUE(back.is_ok());
  EXPECT_FALSE(back->delete_marker);
  EXPECT_EQ(back->version_id, v1->version_id);
  listed = layer_->list_objects("bucket", "", "", "", 100);
  ASSERT_TRUE(listed.is_ok());
  EXPECT_EQ(listed->objects.size(), 1u);
  // A marker on a key that never existed is a version of its own.
  auto fresh = remove("never", "", true);
  ASSERT_TRUE(fresh.is_ok());
  EXPECT_TRUE(fresh->delete_marker);
  EXPECT_EQ(on_disk_versions("never").size(), 1u);
}

TEST_P(VersioningTest, DeletingOneVersionRemovesOnlyItAndItsData) {
  auto v1 = put("k", pattern(kPartSize, 5), true);
  auto v2 = put("k", pattern(kPartSize, 6), true);
  auto v3 = put("k", pattern(kInlineSize, 7), true);
  ASSERT_TRUE(v1.is_ok() && v2.is_ok() && v3.is_ok());
  auto stored = on_disk_versions("k");
  ASSERT_EQ(stored.size(), 3u);
  const std::string v2_dir = stored[1].data_dir;
  ASSERT_TRUE(fs::exists(drive(1) + "/bucket/k/" + v2_dir));
  auto deleted = remove("k", v2->version_id, true);
  ASSERT_TRUE(deleted.is_ok()) << deleted.status().to_string();
  EXPECT_FALSE(deleted->delete_marker);
  EXPECT_EQ(deleted->version_id, v2->version_id);
  for (int d = 1; d <= drives(); ++d) {
    EXPECT_FALSE(fs::exists(drive(d) + "/bucket/k/" + v2_dir)) << d;
  }
  EXPECT_EQ(get("k", v2->version_id).code(), ErrorCode::kNoSuchVersion);
  EXPECT_TRUE(get("k", v1->version_id).is_ok());
  // Deleting the latest makes the next one latest.
  ASSERT_TRUE(remove("k", v3->version_id, true).is_ok());
  auto latest = info("k");
  ASSERT_TRUE(latest.is_ok());
  EXPECT_EQ(latest->version_id, v1->version_id);
  EXPECT_TRUE(latest->is_latest);
  // A version that is gone already is no error; the last one takes the object with it.
  EXPECT_TRUE(remove("k", v3->version_id, true).is_ok());
  ASSERT_TRUE(remove("k", v1->version_id, true).is_ok());
  EXPECT_FALSE(fs::exists(drive(1) + "/bucket/k"));
  EXPECT_EQ(info("k").code(), ErrorCode::kNoSuchKey);
}

TEST_P(VersioningTest, SuspendedReplacesOnlyTheNullVersion) {
  const std::string old_null = pattern(kPartSize, 8);
  ASSERT_TRUE(put("k", old_null, false).is_ok());  // before versioning: the null version
  auto v1 = put("k", pattern(kInlineSize, 9), true);
  ASSERT_TRUE(v1.is_ok());
  EXPECT_EQ(on_disk_versions("k").size(), 2u);
  auto null_before = get("k", "null");
  ASSERT_TRUE(null_before.is_ok());
  EXPECT_TRUE(*null_before == old_null);
  const std::string old_dir = on_disk_versions("k")[1].data_dir;
  // Suspended: the new write replaces the null version (and its data), v1 stays.
  const std::string new_null = pattern(kPartSize + 1, 10);
  auto suspended = put("k", new_null, false, /*suspended=*/true);
  ASSERT_TRUE(suspended.is_ok());
  EXPECT_EQ(suspended->version_id, "");
  auto stored = on_disk_versions("k");
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].version_id, "");
  EXPECT_EQ(stored[1].version_id, v1->version_id);
  EXPECT_FALSE(fs::exists(drive(1) + "/bucket/k/" + old_dir));
  EXPECT_TRUE(*get("k", "null") == new_null);
  EXPECT_TRUE(*get("k") == new_null);
  EXPECT_TRUE(get("k", v1->version_id).is_ok());
  // A suspended delete puts a null delete marker in the null version's place.
  auto marker = remove("k", "", false, /*suspended=*/true);
  ASSERT_TRUE(marker.is_ok());
  EXPECT_TRUE(marker->delete_marker);
  EXPECT_EQ(marker->delete_marker_version_id, "null");
  stored = on_disk_versions("k");
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_TRUE(stored[0].deleted);
  EXPECT_EQ(stored[0].version_id, "");
  EXPECT_EQ(data_dirs(drive(1) + "/bucket/k").size(), 0u);  // v1 is inline
  auto latest = info("k");
  ASSERT_TRUE(latest.is_ok());
  EXPECT_TRUE(latest->delete_marker);
  EXPECT_TRUE(get("k", v1->version_id).is_ok());
  // Deleting the null version by name leaves v1 as latest.
  ASSERT_TRUE(remove("k", "null", false, true).is_ok());
  EXPECT_EQ(info("k")->version_id, v1->version_id);
}

TEST_P(VersioningTest, ListVersionsPaginatesByKeyAndVersion) {
  // Expected order: by key, newest first, a delete marker among them.
  std::vector<std::pair<std::string, std::string>> expected;  // key, version id
  for (const std::string key : {"a", "b/x", "c"}) {
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
      auto v = put(key, pattern(i == 2 ? kPartSize : kInlineSize, 20 + i), true);
      ASSERT_TRUE(v.is_ok());
      ids.push_back(v->version_id);
    }
    if (key == "b/x") {
      auto marker = remove(key, "", true);
      ASSERT_TRUE(marker.is_ok());
      ids.push_back(marker->delete_marker_version_id);
    }
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) expected.emplace_back(key, *it);
  }
  ASSERT_TRUE(put("d", "null one", false).is_ok());
  expected.emplace_back("d", "");
  for (int page : {1, 2, 3, 5, 7, 100}) {
    int pages = 0;
    auto all = list_all_versions(page, &pages);
    ASSERT_EQ(all.size(), expected.size()) << "page " << page;
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(all[i].name, expected[i].first) << i;
      EXPECT_EQ(all[i].version_id, expected[i].second) << i;
      const bool first_of_key = i == 0 || expected[i - 1].first != expected[i].first;
      EXPECT_EQ(all[i].is_latest, first_of_key) << i;
      EXPECT_EQ(all[i].delete_marker, all[i].name == "b/x" && first_of_key) << i;
    }
    EXPECT_EQ(pages, static_cast<int>((expected.size() + page - 1) / page)) << page;
  }
  // A page ending inside a key names that key and the last version returned.
  auto first = layer_->list_object_versions("bucket", "", "", "", "", 2);
  ASSERT_TRUE(first.is_ok());
  EXPECT_TRUE(first->is_truncated);
  EXPECT_EQ(first->next_key_marker, "a");
  EXPECT_EQ(first->next_version_id_marker, expected[1].second);
  // A key marker alone starts after that key; a delimiter rolls keys up.
  auto after_a = layer_->list_object_versions("bucket", "", "a", "", "", 100);
  ASSERT_TRUE(after_a.is_ok());
  ASSERT_FALSE(after_a->versions.empty());
  EXPECT_EQ(after_a->versions[0].name, "b/x");
  auto rolled = layer_->list_object_versions("bucket", "", "", "", "/", 100);
  ASSERT_TRUE(rolled.is_ok());
  EXPECT_EQ(rolled->prefixes, std::vector<std::string>{"b/"});
  EXPECT_EQ(rolled->versions.size(), 9u);  // a: 4, c: 4, d: 1
  // ListObjects still shows the latest versions only, without the deleted key.
  auto listed = layer_->list_objects("bucket", "", "", "", 100);
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->objects.size(), 3u);
  EXPECT_EQ(listed->objects[0].name, "a");
  EXPECT_EQ(listed->objects[1].name, "c");
  EXPECT_EQ(listed->objects[2].name, "d");
}

TEST_P(VersioningTest, HealRestoresEveryVersionOnReplacedDrives) {
  if (drives() == 1) GTEST_SKIP() << "needs parity";
  std::map<std::string, std::string> bodies;  // version id -> bytes
  std::string marker_id;
  for (int i = 0; i < 4; ++i) {
    std::string body = pattern(i % 2 ? kInlineSize : kPartSize, 40 + i);
    auto v = put("k", body, true);
    ASSERT_TRUE(v.is_ok());
    bodies[v->version_id] = body;
  }
  auto marker = remove("k", "", true);
  ASSERT_TRUE(marker.is_ok());
  marker_id = marker->delete_marker_version_id;
  const auto pristine_versions = on_disk_versions("k", 2);
  ASSERT_EQ(pristine_versions.size(), 5u);
  std::map<std::string, std::string> pristine_parts;  // relative path -> bytes
  for (const auto& e : fs::recursive_directory_iterator(drive(2) + "/bucket/k")) {
    if (e.is_regular_file() && e.path().filename() != "xl.meta") {
      pristine_parts[fs::relative(e.path(), drive(2)).string()] = slurp(e.path());
    }
  }
  ASSERT_EQ(pristine_parts.size(), 2u);
  // Drives 2 and 5 are replaced by blank ones.
  layer_.reset();
  for (int d : {2, 5}) {
    fs::remove_all(drive(d));
    fs::create_directory(drive(d));
  }
  open();
  auto summary = layer_->heal("", "", /*deep=*/false);
  ASSERT_TRUE(summary.is_ok()) << summary.status().to_string();
  EXPECT_EQ(summary->objects_healed, 1u);
  // Every version (and the marker) is back in the replaced drives' xl.meta as the drive
  // had it, with the same shard files.
  auto healed_versions = on_disk_versions("k", 2);
  ASSERT_EQ(healed_versions.size(), pristine_versions.size());
  for (size_t i = 0; i < healed_versions.size(); ++i) {
    EXPECT_EQ(healed_versions[i].version_id, pristine_versions[i].version_id);
    EXPECT_EQ(healed_versions[i].data_dir, pristine_versions[i].data_dir);
    EXPECT_EQ(healed_versions[i].deleted, pristine_versions[i].deleted);
    EXPECT_EQ(healed_versions[i].erasure.index, pristine_versions[i].erasure.index);
  }
  for (const auto& [rel, bytes] : pristine_parts) {
    EXPECT_TRUE(slurp(drive(2) + "/" + rel) == bytes) << rel;
  }
  EXPECT_EQ(on_disk_versions("k", 5).size(), 5u);
  // With two other drives gone, every version reads back byte-identical from the rebuilt
  // shards.
  for (int d : {1, 3}) fs::rename(drive(d), drive(d) + ".away");
  for (const auto& [id, body] : bodies) {
    auto got = get("k", id);
    ASSERT_TRUE(got.is_ok()) << id << ": " << got.status().to_string();
    EXPECT_TRUE(*got == body) << id;
  }
  auto latest = info("k");
  ASSERT_TRUE(latest.is_ok()) << latest.status().to_string();
  EXPECT_TRUE(latest->delete_marker);
  EXPECT_EQ(latest->version_id, marker_id);
  for (int d : {1, 3}) fs::rename(drive(d) + ".away", drive(d));
  // Healing again finds nothing to do.
  summary = layer_->heal("", "", /*deep=*/true);
  ASSERT_TRUE(summary.is_ok());
  EXPECT_EQ(summary->objects_healed, 0u);
}

TEST_P(VersioningTest, DanglingVersionIsRemovedOthersKept) {
  if (drives() == 1) GTEST_SKIP() << "needs several drives";
  auto v1 = put("k", pattern(kPartSize, 50), true);
  auto v2 = put("k", pattern(kPartSize, 51), true);
  ASSERT_TRUE(v1.is_ok() && v2.is_ok());
  // As if v2's commit reached one drive only: the others lose it.
  const std::string v2_dir = on_disk_versions("k")[0].data_dir;
  layer_.reset();
  for (int d = 2; d <= drives(); ++d) {
    auto meta = XlMeta::parse(slurp(drive(d) + "/bucket/k/xl.meta"));
    ASSERT_TRUE(meta.is_ok());
    ASSERT_TRUE(meta->delete_version(v2->version_id).is_ok());
    std::ofstream(drive(d) + "/bucket/k/xl.meta", std::ios::trunc | std::ios::binary)
        << meta->serialize();
    fs::remove_all(drive(d) + "/bucket/k/" + v2_dir);
  }
  open();
  auto latest = info("k");
  ASSERT_TRUE(latest.is_ok()) << latest.status().to_string();
  EXPECT_EQ(latest->version_id, v1->version_id);
  auto summary = layer_->heal("bucket", "", false);
  ASSERT_TRUE(summary.is_ok());
  EXPECT_EQ(summary->dangling_removed, 1u);
  EXPECT_EQ(on_disk_versions("k", 1).size(), 1u);
  EXPECT_FALSE(fs::exists(drive(1) + "/bucket/k/" + v2_dir));
  EXPECT_TRUE(get("k", v1->version_id).is_ok());
}

// Drive d's directory of `key` as it is now, to put back later (a commit that never
// reached that drive).
void save_object_dir(const std::string& drive_dir, const std::string& key) {
  fs::remove_all(drive_dir + "/saved");
  fs::copy(drive_dir + "/bucket/" + key, drive_dir + "/saved", fs::copy_options::recursive);
}
void restore_object_dir(const std::string& drive_dir, const std::string& key) {
  fs::remove_all(drive_dir + "/bucket/" + key);
  fs::rename(drive_dir + "/saved", drive_dir + "/bucket/" + key);
}

TEST_P(VersioningTest, CutShortCommitOfANewVersionFallsBackToTheOlder) {
  if (drives() == 1) GTEST_SKIP() << "needs several drives";
  const std::string old_body = pattern(kPartSize, 60);
  auto v1 = put("k", old_body, true);
  ASSERT_TRUE(v1.is_ok());
  // v2's commit reaches drives 1-3 only (below read quorum 4): a crash between drives.
  for (int d = 4; d <= 6; ++d) save_object_dir(drive(d), "k");
  auto v2 = put("k", pattern(kPartSize, 61), true);
  ASSERT_TRUE(v2.is_ok());
  layer_.reset();
  for (int d = 4; d <= 6; ++d) restore_object_dir(drive(d), "k");
  open();
  // No latest version has quorum; the read repairs: v2 is dangling, v1 stays.
  auto got = get("k");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_TRUE(*got == old_body);
  EXPECT_EQ(info("k")->version_id, v1->version_id);
  EXPECT_EQ(get("k", v2->version_id).code(), ErrorCode::kNoSuchVersion);
  for (int d = 1; d <= drives(); ++d) {
    auto stored = on_disk_versions("k", d);
    ASSERT_EQ(stored.size(), 1u) << d;
    EXPECT_EQ(stored[0].version_id, v1->version_id) << d;
    EXPECT_EQ(data_dirs(drive(d) + "/bucket/k"), std::set<std::string>{stored[0].data_dir}) << d;
  }
}

TEST_P(VersioningTest, CutShortNullOverwriteKeepsTheOtherVersions) {
  if (drives() == 1) GTEST_SKIP() << "needs several drives";
  auto v1 = put("k", pattern(kPartSize, 62), true);
  const std::string null_body = pattern(kPartSize, 63);
  ASSERT_TRUE(put("k", null_body, false, /*suspended=*/true).is_ok());
  ASSERT_TRUE(v1.is_ok());
  const std::string old_null_dir = on_disk_versions("k", 1)[0].data_dir;
  // The next suspended overwrite of the null version reaches drives 1-3 only.
  for (int d = 1; d <= 6; ++d) save_object_dir(drive(d), "k");
  ASSERT_TRUE(put("k", pattern(kPartSize, 64), false, true).is_ok());
  layer_.reset();
  for (int d = 4; d <= 6; ++d) restore_object_dir(drive(d), "k");
  // As a crash leaves them: drives 1-3 still hold the replaced null version's data (it
  // goes only once the new one has quorum, which it did here, so put it back).
  for (int d = 1; d <= 3; ++d) {
    fs::rename(drive(d) + "/saved/" + old_null_dir, drive(d) + "/bucket/k/" + old_null_dir);
    fs::remove_all(drive(d) + "/saved");
  }
  open();
  auto got = get("k", "null");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_TRUE(*got == null_body);
  EXPECT_TRUE(get("k", v1->version_id).is_ok());
  for (int d = 1; d <= drives(); ++d) {
    auto stored = on_disk_versions("k", d);
    ASSERT_EQ(stored.size(), 2u) << d;
    EXPECT_EQ(stored[0].data_dir, old_null_dir) << d;
    EXPECT_EQ(stored[1].version_id, v1->version_id) << d;
    // The cut-short version's data is gone with it.
    EXPECT_EQ(data_dirs(drive(d) + "/bucket/k"),
              (std::set<std::string>{old_null_dir, stored[1].data_dir}))
        << d;
  }
}

TEST_P(VersioningTest, VersionWrittenWhileADriveWasAwayIsHealedOntoIt) {
  if (drives() == 1) GTEST_SKIP() << "needs several drives";
  auto v1 = put("k", pattern(kPartSize, 70), true);
  ASSERT_TRUE(v1.is_ok());
  fs::rename(drive(3), drive(3) + ".away");
  const std::string body2 = pattern(kInlineSize, 71);
  auto v2 = put("k", body2, true);
  ASSERT_TRUE(v2.is_ok());
  auto marker = remove("k", "", true);
  ASSERT_TRUE(marker.is_ok());
  fs::rename(drive(3) + ".away", drive(3));
  EXPECT_EQ(on_disk_versions("k", 3).size(), 1u);
  // Wait for the prober to bring the drive back, then heal.
  for (int i = 0; i < 500; ++i) {
    bool all = true;
    for (const auto& d : layer_->storage_info().drives) all = all && d.state == "online";
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto summary = layer_->heal("bucket", "", false);
  ASSERT_TRUE(summary.is_ok()) << summary.status().to_string();
  EXPECT_EQ(summary->objects_healed, 1u);
  auto stored = on_disk_versions("k", 3);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].version_id, marker->delete_marker_version_id);
  EXPECT_TRUE(stored[0].deleted);
  EXPECT_EQ(stored[1].version_id, v2->version_id);
  EXPECT_EQ(stored[2].version_id, v1->version_id);
}

// Two sets of four drives and a second pool: versions of keys spread over sets and pools
// list as one, in order, across page boundaries.
TEST(VersioningSetsTest, VersionsOfEverySetListAsOne) {
  char tmpl[] = "/tmp/maxio-versions-sets-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string base = tmpl;
  {
    ObjectLayerOptions options;
    int next = 1;
    for (auto [count, set_size] : {std::pair{8, 4}, std::pair{4, 4}}) {
      PoolLayout pool;
      for (int i = 0; i < count; ++i)
        pool.drive_paths.push_back(base + "/d" + std::to_string(next++));
      pool.set_drive_count = set_size;
      options.pools.push_back(pool);
    }
    options.scanner_interval = std::chrono::milliseconds(0);
    options.probe_interval = std::chrono::milliseconds(0);
    options.heal_on_access = false;
    options.sync = false;
    auto layer = open_object_layer(options);
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    ObjectLayer& l = **layer;
    ASSERT_TRUE(l.make_bucket("bucket", {}).is_ok());
    std::vector<std::pair<std::string, std::string>> expected;
    for (int k = 0; k < 12; ++k) {
      const std::string key = "key-" + std::to_string(100 + k);
      std::vector<std::string> ids;
      for (int v = 0; v < 3; ++v) {
        std::string body = pattern(100 + k * 10 + v, k * 3 + v);
        StringReader reader(body);
        PutObjectOptions put;
        put.size = static_cast<int64_t>(body.size());
        put.versioned = true;
        auto info = l.put_object("bucket", key, reader, put);
        ASSERT_TRUE(info.is_ok());
        ids.push_back(info->version_id);
      }
      for (auto it = ids.rbegin(); it != ids.rend(); ++it) expected.emplace_back(key, *it);
    }
    std::vector<std::pair<std::string, std::string>> got;
    std::string key_marker, version_marker;
    for (int page = 0; page < 100; ++page) {
      auto r = l.list_object_versions("bucket", "", key_marker, version_marker, "", 5);
      ASSERT_TRUE(r.is_ok()) << r.status().to_string();
      for (const auto& v : r->versions) got.emplace_back(v.name, v.version_id);
      if (!r->is_truncated) break;
      key_marker = r->next_key_marker;
      version_marker = r->next_version_id_marker;
    }
    EXPECT_EQ(got, expected);
  }
  fs::remove_all(base);
}

INSTANTIATE_TEST_SUITE_P(Drives, VersioningTest, ::testing::Values(1, 6),
                         [](const auto& info) { return std::to_string(info.param) + "drives"; });

}  // namespace
}  // namespace maxio
