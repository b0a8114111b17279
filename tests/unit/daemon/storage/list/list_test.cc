#include "daemon/storage/list/list_objects.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "daemon/storage/drive/local_drive.h"
#include "daemon/storage/erasure/server_pools.h"
#include "daemon/storage/list/listing_cache.h"
#include "daemon/storage/list/tree_walk.h"
#include "daemon/storage/object_layer.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

struct Listing {
  std::vector<std::string> keys;
  std::vector<std::string> prefixes;
  bool truncated = false;
  std::string next_marker;
  bool operator==(const Listing&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Listing& l) {
  os << "keys[";
  for (auto& k : l.keys) os << "'" << k << "' ";
  os << "] prefixes[";
  for (auto& p : l.prefixes) os << "'" << p << "' ";
  return os << "] truncated=" << l.truncated << " next='" << l.next_marker << "'";
}

// S3 semantics on a sorted set: the oracle.
Listing model(const std::set<std::string>& keys, const std::string& prefix,
              const std::string& marker, const std::string& delimiter, int max_keys) {
  Listing out;
  if (max_keys == 0) return out;
  std::string last_prefix;
  int count = 0;
  for (const auto& k : keys) {
    if (k.compare(0, prefix.size(), prefix) != 0 || k <= marker) continue;
    if (!delimiter.empty()) {
      size_t pos = k.find(delimiter, prefix.size());
      if (pos != std::string::npos) {
        std::string cp = k.substr(0, pos + delimiter.size());
        if (cp <= marker || cp == last_prefix) continue;
        if (count == max_keys) {
          out.truncated = true;
          break;
        }
        out.prefixes.push_back(cp);
        out.next_marker = last_prefix = cp;
        ++count;
        continue;
      }
    }
    if (count == max_keys) {
      out.truncated = true;
      break;
    }
    out.keys.push_back(k);
    out.next_marker = k;
    ++count;
  }
  if (!out.truncated) out.next_marker.clear();
  return out;
}

// A canonical lower-case UUID text drawn from rng.
std::string random_uuid(std::mt19937& rng) {
  const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 36; ++i) {
    s += (i == 8 || i == 13 || i == 18 || i == 23) ? '-' : hex[rng() % 16];
  }
  return s;
}

class ListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/maxio-list-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    // Thousands of tiny commits: skip fsync (durability is tested in erasure/).
    auto drive = open_local_drive(base_, LocalDriveOptions{.sync = false});
    ASSERT_TRUE(drive.is_ok()) << drive.status().to_string();
    std::vector<std::unique_ptr<StorageApi>> drives;
    drives.push_back(std::move(*drive));
    auto layer = open_erasure_set(std::move(drives));
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    layer_ = std::move(*layer);
    ASSERT_TRUE(layer_->make_bucket("b", {}).is_ok());
  }
  void TearDown() override {
    layer_.reset();
    fs::remove_all(base_);
  }

  void put(const std::string& key, std::string data = "x") {
    StringReader reader(data);
    PutObjectOptions options;
    options.size = static_cast<int64_t>(data.size());
    auto r = layer_->put_object("b", key, reader, options);
    ASSERT_TRUE(r.is_ok()) << key << ": " << r.status().to_string();
    keys_.insert(key);
  }

  // What a crash or a hand-made mkdir leaves on the drive; none of it is an object.
  void plant_empty_dir(const std::string& path) {
    fs::create_directories(fs::path(base_) / "b" / path);
  }
  void plant_data_dir(const std::string& path, const std::string& uuid) {
    fs::path dir = fs::path(base_) / "b" / path / uuid;
    fs::create_directories(dir);
    std::ofstream(dir / "part.1") << "orphaned shard";
  }

  Listing list(const std::string& prefix, const std::string& marker, const std::string& delimiter,
               int max_keys) {
    auto r = layer_->list_objects("b", prefix, marker, delimiter, max_keys);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    Listing out;
    if (!r) return out;
    for (auto& o : r->objects) out.keys.push_back(o.name);
    out.prefixes = r->prefixes;
    out.truncated = r->is_truncated;
    out.next_marker = r->next_marker;
    return out;
  }

  void check(const std::string& prefix, const std::string& marker, const std::string& delimiter,
             int max_keys) {
    EXPECT_EQ(list(prefix, marker, delimiter, max_keys),
              model(keys_, prefix, marker, delimiter, max_keys))
        << "prefix='" << prefix << "' marker='" << marker << "' delimiter='" << delimiter
        << "' max_keys=" << max_keys;
  }

  // Pages through with next_marker; the pages together must equal one big listing.
  void check_paging(const std::string& prefix, const std::string& delimiter, int page) {
    Listing all = model(keys_, prefix, "", delimiter, 100000);
    Listing joined;
    std::string marker;
    for (int guard = 0; guard < 10000; ++guard) {
      Listing l = list(prefix, marker, delimiter, page);
      joined.keys.insert(joined.keys.end(), l.keys.begin(), l.keys.end());
      joined.prefixes.insert(joined.prefixes.end(), l.prefixes.begin(), l.prefixes.end());
      if (!l.truncated) break;
      ASSERT_FALSE(l.next_marker.empty());
      marker = l.next_marker;
    }
    EXPECT_EQ(joined.keys, all.keys) << prefix << " " << delimiter << " " << page;
    EXPECT_EQ(joined.prefixes, all.prefixes) << prefix << " " << delimiter << " " << page;
  }

  std::string base_;
  std::unique_ptr<ObjectLayer> layer_;
  std::set<std::string> keys_;
};

TEST_F(ListTest, ByteOrderWithPrefixKeys) {
  for (const char* k : {"b", "a/b/c", "a", "a/b", "a-c"}) put(k);
  Listing l = list("", "", "", 1000);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"a", "a-c", "a/b", "a/b/c", "b"}));
  l = list("", "", "/", 1000);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"a", "a-c", "b"}));
  EXPECT_EQ(l.prefixes, (std::vector<std::string>{"a/"}));
  l = list("a/", "", "/", 1000);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"a/b"}));
  EXPECT_EQ(l.prefixes, (std::vector<std::string>{"a/b/"}));
  l = list("", "", "", 2);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"a", "a-c"}));
  EXPECT_TRUE(l.truncated);
  EXPECT_EQ(l.next_marker, "a-c");
  l = list("", "a-c", "", 2);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"a/b", "a/b/c"}));
  l = list("", "a/", "/", 1000);  // a marker that is a prefix skips that prefix
  EXPECT_EQ(l.keys, (std::vector<std::string>{"b"}));
  EXPECT_TRUE(l.prefixes.empty());
  EXPECT_EQ(list("", "", "", 0), Listing{});
}

TEST_F(ListTest, DirectoryMarkersAndDataDirs) {
  put("d/");
  put("d/x");
  put("d-");
  put("big", std::string(200000, 'z'));  // a part file in a data dir inside "big/"
  put("big/child");
  Listing l = list("", "", "", 1000);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"big", "big/child", "d-", "d/", "d/x"}));
  l = list("", "", "/", 1000);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"big", "d-"}));
  EXPECT_EQ(l.prefixes, (std::vector<std::string>{"big/", "d/"}));
  l = list("d/", "", "/", 1000);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"d/", "d/x"}));
}

TEST_F(ListTest, MatchesModelOnRandomKeys) {
  std::mt19937 rng(1234);
  const std::string alphabet = "!-0ab";
  auto segment = [&] {
    std::string s;
    int len = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  while (keys_.size() < 300) {
    int segments = 1 + static_cast<int>(rng() % 4);
    std::string key;
    for (int i = 0; i < segments; ++i) key += (i ? "/" : "") + segment();
    if (rng() % 10 == 0) key += "/";  // a directory marker
    if (keys_.count(key)) continue;
    put(key);
  }
  std::vector<std::string> sample(keys_.begin(), keys_.end());
  // Debris that must not change any listing: empty directories at random paths (some
  // inside object directories), and data directories no xl.meta references, both inside
  // objects and in directories whose object is gone.
  for (int i = 0; i < 60; ++i) {
    std::string path;
    int segments = 1 + static_cast<int>(rng() % 4);
    for (int j = 0; j < segments; ++j) path += (j ? "/" : "") + segment();
    plant_empty_dir(path);
    plant_data_dir(path + "/" + segment(), random_uuid(rng));
    plant_data_dir(encode_dir_object(sample[rng() % sample.size()]), random_uuid(rng));
  }
  std::vector<std::string> prefixes = {"", "a", "a/", "a-", "b/a", "!", "0/", "zzz", "ab/"};
  std::vector<std::string> markers = {"", "a", "a/", "b", "0", "~"};
  for (int i = 0; i < 4; ++i) {
    const std::string& k = sample[rng() % sample.size()];
    markers.push_back(k);
    markers.push_back(k.substr(0, 1 + rng() % k.size()));
    prefixes.push_back(k.substr(0, 1 + rng() % k.size()));
  }
  for (const auto& prefix : prefixes) {
    for (const auto& marker : markers) {
      for (const std::string delimiter : {"", "/", "-", "a/"}) {
        for (int max_keys : {1, 7, 1000}) check(prefix, marker, delimiter, max_keys);
      }
    }
  }
  for (const std::string prefix : {"", "a", "b/"}) {
    for (const std::string delimiter : {"", "/", "-"}) {
      for (int page : {1, 3, 50}) check_paging(prefix, delimiter, page);
    }
  }
}

}  // namespace
}  // namespace maxio

namespace maxio {
namespace {

// Forwards to a drive and records which directories were read.
class RecordingDrive final : public StorageApi {
 public:
  explicit RecordingDrive(StorageApi& inner) : inner_(inner) {}
  std::vector<std::string> dirs_read;

  std::string endpoint() const override { return inner_.endpoint(); }
  Result<DiskInfo> disk_info() override { return inner_.disk_info(); }
  Status make_vol(const std::string& v) override { return inner_.make_vol(v); }
  Result<std::vector<VolInfo>> list_vols() override { return inner_.list_vols(); }
  Result<VolInfo> stat_vol(const std::string& v) override { return inner_.stat_vol(v); }
  Status delete_vol(const std::string& v, bool f) override { return inner_.delete_vol(v, f); }
  Result<FileInfo> read_version(const std::string& v, const std::string& p, const std::string& id,
                                bool d) override {
    return inner_.read_version(v, p, id, d);
  }
  Result<std::string> read_xl(const std::string& v, const std::string& p) override {
    return inner_.read_xl(v, p);
  }
  Status write_metadata(const std::string& v, const std::string& p, const FileInfo& fi) override {
    return inner_.write_metadata(v, p, fi);
  }
  Status rename_data(const std::string& sv, const std::string& sp, const FileInfo& fi,
                     const std::string& dv, const std::string& dp) override {
    return inner_.rename_data(sv, sp, fi, dv, dp);
  }
  Status remove_unreferenced_data(const std::string& v, const std::string& p) override {
    return inner_.remove_unreferenced_data(v, p);
  }
  Status delete_version(const std::string& v, const std::string& p, const FileInfo& fi) override {
    return inner_.delete_version(v, p, fi);
  }
  Result<std::unique_ptr<FileWriter>> create_file(const std::string& v,
                                                  const std::string& p) override {
    return inner_.create_file(v, p);
  }
  Result<std::unique_ptr<FileReader>> open_file(const std::string& v,
                                                const std::string& p) override {
    return inner_.open_file(v, p);
  }
  Status check_file(const std::string& v, const std::string& p) override {
    return inner_.check_file(v, p);
  }
  Status rename_file(const std::string& sv, const std::string& sp, const std::string& dv,
                     const std::string& dp) override {
    return inner_.rename_file(sv, sp, dv, dp);
  }
  Result<std::string> read_all(const std::string& v, const std::string& p) override {
    return inner_.read_all(v, p);
  }
  Status write_all(const std::string& v, const std::string& p, std::string_view d) override {
    return inner_.write_all(v, p, d);
  }
  Status delete_path(const std::string& v, const std::string& p, bool r) override {
    return inner_.delete_path(v, p, r);
  }
  Result<std::vector<std::string>> list_dir(const std::string& v, const std::string& p) override {
    dirs_read.push_back(p);
    return inner_.list_dir(v, p);
  }

 private:
  StorageApi& inner_;
};

TEST_F(ListTest, WalkVisitsOnlyMatchingSubtreesAfterTheMarker) {
  for (const char* k : {"a/1", "a/2", "b/x/1", "b/y/1", "c/1", "d/e/f"}) put(k);
  layer_.reset();
  auto drive = open_local_drive(base_);
  ASSERT_TRUE(drive.is_ok());
  RecordingDrive recording(**drive);

  TreeWalker walker(recording, WalkOptions{"b", "b/", "b/x/1", true});
  std::vector<std::string> keys;
  while (true) {
    auto e = walker.next();
    ASSERT_TRUE(e.is_ok());
    if (!*e) break;
    keys.push_back((*e)->key);
  }
  EXPECT_EQ(keys, std::vector<std::string>{"b/y/1"});
  for (const auto& dir : recording.dirs_read) {
    // Never a subtree outside the prefix; b/x only for what may follow the marker b/x/1.
    EXPECT_TRUE(dir == "" || dir == "b" || dir == "b/x" || dir == "b/x/1" ||
                dir.rfind("b/y", 0) == 0)
        << dir;
  }

  recording.dirs_read.clear();
  TreeWalker shallow(recording, WalkOptions{"b", "", "", false});
  keys.clear();
  while (true) {
    auto e = shallow.next();
    ASSERT_TRUE(e.is_ok());
    if (!*e) break;
    keys.push_back((*e)->key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"a/", "b/", "c/", "d/"}));
  // Each prefix is confirmed by descending only to its first object (b/x/1, never b/y).
  EXPECT_EQ(recording.dirs_read, (std::vector<std::string>{"", "a", "b", "b/x", "c", "d", "d/e"}));
}

// Regression: a crash between moving a data directory into K/ and committing K/xl.meta
// left K/<uuid>/part.1, which a delimiter listing showed as the common prefix K/<uuid>/.
TEST_F(ListTest, OrphanedDataDirIsNotAPrefix) {
  put("K", std::string(200000, 'z'));  // K/<referenced uuid>/part.1
  put("L");                            // inline: its object directory holds only xl.meta
  plant_data_dir("K", "0b8e2a9c-6d1f-4e3a-9c5b-7a2d1e0f3c4b");
  plant_data_dir("L", "1c9f3b0d-7e2a-4f4b-8d6c-8b3e2f1a4d5c");
  // An interrupted delete: xl.meta gone, the data directory left.
  plant_data_dir("M", "2d0a4c1e-8f3b-4a5c-9e7d-9c4f3a2b5e6d");
  EXPECT_EQ(list("K/", "", "/", 1000), Listing{});
  EXPECT_EQ(list("", "", "/", 1000), (Listing{{"K", "L"}, {}, false, ""}));
  EXPECT_EQ(list("", "", "", 1000), (Listing{{"K", "L"}, {}, false, ""}));
  EXPECT_EQ(list("", "", "/", 2), (Listing{{"K", "L"}, {}, false, ""}));
  auto versions = layer_->list_object_versions("b", "", "", "", "/", 1000);
  ASSERT_TRUE(versions.is_ok()) << versions.status().to_string();
  EXPECT_EQ(versions->versions.size(), 2u);
  EXPECT_TRUE(versions->prefixes.empty());
  EXPECT_FALSE(versions->is_truncated);
}

// Regression: empty directories (crash leftovers or made by hand) were common prefixes.
TEST_F(ListTest, EmptyDirectoriesAreNotPrefixes) {
  put("p/q/r");
  put("z");
  plant_empty_dir("e/f/g");
  plant_empty_dir("h");
  plant_empty_dir("p/a/b");  // sorts before p/q/r: the search for p/'s object passes it
  plant_empty_dir("p/q/r/s");
  plant_empty_dir("z/y");
  EXPECT_EQ(list("", "", "/", 1000), (Listing{{"z"}, {"p/"}, false, ""}));
  EXPECT_EQ(list("p/", "", "/", 1000), (Listing{{}, {"p/q/"}, false, ""}));
  EXPECT_EQ(list("p/q/", "", "/", 1000), (Listing{{"p/q/r"}, {}, false, ""}));
  EXPECT_EQ(list("", "", "/", 1), (Listing{{}, {"p/"}, true, "p/"}));
  EXPECT_EQ(list("", "p/", "/", 1), (Listing{{"z"}, {}, false, ""}));
  EXPECT_EQ(list("e/", "", "/", 1000), Listing{});
  EXPECT_EQ(list("", "", "", 1000), (Listing{{"p/q/r", "z"}, {}, false, ""}));
  auto versions = layer_->list_object_versions("b", "", "", "", "/", 1000);
  ASSERT_TRUE(versions.is_ok()) << versions.status().to_string();
  EXPECT_EQ(versions->prefixes, std::vector<std::string>{"p/"});
  ASSERT_EQ(versions->versions.size(), 1u);
  EXPECT_EQ(versions->versions[0].name, "z");
}

// A UUID-named directory that holds keys is a user prefix, not a data directory.
TEST_F(ListTest, UuidNamedUserKeyStillLists) {
  const std::string u1 = "3e1b5d2f-9a4c-4b6d-8f8e-ad5b4c3e6f70";
  const std::string u2 = "4f2c6e3a-ab5d-4c7e-9a9f-be6c5d4f7a81";
  put("K", std::string(200000, 'z'));
  put("K/" + u1 + "/x");
  put("K/" + u2);  // an object named by a UUID inside object directory K
  plant_data_dir("K", "5a3d7f4b-bc6e-4d8f-8bab-cf7d6e5a8b92");
  EXPECT_EQ(list("K/", "", "/", 1000), (Listing{{"K/" + u2}, {"K/" + u1 + "/"}, false, ""}));
  EXPECT_EQ(list("", "", "", 1000), (Listing{{"K", "K/" + u1 + "/x", "K/" + u2}, {}, false, ""}));
  EXPECT_EQ(list("", "", "/", 1000), (Listing{{"K"}, {"K/"}, false, ""}));
}

// A key whose latest version is a delete marker is not listed, so it makes no prefix.
TEST_F(ListTest, DeleteMarkersMakeNoPrefix) {
  put("live/x");
  auto drive = open_local_drive(base_, LocalDriveOptions{.sync = false});
  ASSERT_TRUE(drive.is_ok());
  FileInfo marker;
  marker.version_id = "6b4e8a5c-cd7f-4e9a-9bbc-da8e7f6b9ca3";
  marker.deleted = true;
  marker.mod_time = std::chrono::system_clock::now();
  ASSERT_TRUE((*drive)->write_metadata("b", "gone/x", marker).is_ok());
  ASSERT_TRUE((*drive)->write_metadata("b", "gone-y", marker).is_ok());
  EXPECT_EQ(list("", "", "/", 1000), (Listing{{}, {"live/"}, false, ""}));
  EXPECT_EQ(list("", "", "-", 1000), (Listing{{"live/x"}, {}, false, ""}));
  EXPECT_EQ(list("", "", "", 1000), (Listing{{"live/x"}, {}, false, ""}));
}

// Pages continued from the listing cache read each directory once, list exactly what one
// big listing lists, and still leave out keys deleted after the walk read their directory.
TEST_F(ListTest, CachedWalkContinuesAcrossPages) {
  for (int i = 0; i < 40; ++i) put("flat-" + std::to_string(100 + i));
  for (const char* k : {"d/1", "d/2", "e/f/1"}) put(k);
  layer_.reset();
  auto drive = open_local_drive(base_, LocalDriveOptions{.sync = false});
  ASSERT_TRUE(drive.is_ok());
  RecordingDrive recording(**drive);
  auto make_walker = [&](const WalkOptions& options,
                         WalkIsListedFn is_listed) -> Result<std::unique_ptr<KeyWalker>> {
    return std::unique_ptr<KeyWalker>(new TreeWalker(recording, options, std::move(is_listed)));
  };
  std::set<std::string> deleted;
  auto info = [&](const WalkEntry& entry) -> Result<std::optional<ObjectInfo>> {
    if (deleted.contains(entry.key)) return std::optional<ObjectInfo>();
    ObjectInfo object;
    object.name = entry.key;
    return std::optional<ObjectInfo>(object);
  };
  ListingCache cache;
  for (std::string delimiter : {"", "/"}) {
    recording.dirs_read.clear();
    std::vector<std::string> joined;
    std::string marker;
    int pages = 0;
    while (true) {
      auto page = list_objects_from(make_walker, "b", "", marker, delimiter, 7, info, &cache);
      ASSERT_TRUE(page.is_ok()) << page.status().to_string();
      for (const auto& o : page->objects) joined.push_back(o.name);
      for (const auto& p : page->prefixes) joined.push_back(p);
      ++pages;
      if (!page->is_truncated) break;
      marker = page->next_marker;
      if (pages == 2) deleted.insert("flat-120");  // after the root was read
    }
    std::set<std::string> expect_keys = keys_;
    expect_keys.erase("flat-120");
    Listing all = model(expect_keys, "", "", delimiter, 100000);
    std::vector<std::string> expected = all.keys;
    expected.insert(expected.end(), all.prefixes.begin(), all.prefixes.end());
    std::sort(joined.begin(), joined.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(joined, expected) << "delimiter '" << delimiter << "'";
    EXPECT_GT(pages, 5);
    EXPECT_EQ(std::count(recording.dirs_read.begin(), recording.dirs_read.end(), ""), 1)
        << "the bucket's root was read once per listing, not once per page";
    EXPECT_EQ(cache.size(), 0u) << "a finished listing leaves nothing behind";
    deleted.clear();
  }
}

TEST(ListingCacheTest, BoundedTakenOnceAndExpires) {
  auto listing = [] { return SuspendedListing{}; };
  ListingCache cache(2, std::chrono::milliseconds(200));
  cache.put(listing_key("b", "", "", "m1"), listing());
  cache.put(listing_key("b", "", "", "m2"), listing());
  cache.put(listing_key("c", "", "", "m3"), listing());  // evicts the oldest (m1)
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.take(listing_key("b", "", "", "m1")).has_value());
  EXPECT_TRUE(cache.take(listing_key("b", "", "", "m2")).has_value());
  EXPECT_FALSE(cache.take(listing_key("b", "", "", "m2")).has_value()) << "handed out once";
  // Parameters are part of the key: another prefix or delimiter is another listing.
  EXPECT_FALSE(cache.take(listing_key("c", "p", "", "m3")).has_value());
  EXPECT_FALSE(cache.take(listing_key("c", "", "/", "m3")).has_value());
  cache.drop_bucket("c");
  EXPECT_EQ(cache.size(), 0u);
  cache.put(listing_key("b", "", "", "m4"), listing());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(cache.take(listing_key("b", "", "", "m4")).has_value()) << "expired";
}

}  // namespace
}  // namespace maxio
