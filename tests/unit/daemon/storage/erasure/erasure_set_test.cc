// The object layer over several drives: erasure coding across a set, reads with drives
// missing or damaged, healing, several sets and several pools.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "daemon/storage/erasure/server_pools.h"
#include "daemon/storage/object_layer.h"
#include "daemon/storage/xlmeta/format.h"
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

// Every regular file below `dir`, relative path -> bytes (xl.meta and part files).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = slurp(e.path());
  }
  return out;
}

const std::vector<size_t> kSizes = {0,
                                    1,
                                    128 * 1024 - 1,
                                    128 * 1024,
                                    128 * 1024 + 1,
                                    1024 * 1024 - 1,
                                    1024 * 1024,
                                    1024 * 1024 + 1,
                                    3 * 1024 * 1024 + 5};

class ErasureSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/maxio-eset-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
  }
  void TearDown() override {
    layer_.reset();
    fs::remove_all(base_);
  }

  std::string drive(int i) const { return base_ + "/d" + std::to_string(i); }

  // pools: drive counts and set sizes, e.g. {{6, 6}} or {{8, 4}, {4, 4}}.
  // parity: STANDARD parity, -1 for MinIO's default (3 for six drives; the scenarios below
  // use EC 4+2 as MinIO deployments of six drives usually do).
  void open(std::vector<std::pair<int, int>> pools, bool expect_ok = true, int parity = 2) {
    layer_.reset();
    ObjectLayerOptions options;
    int next = 1;
    for (auto [count, set_size] : pools) {
      PoolLayout pool;
      for (int i = 0; i < count; ++i) pool.drive_paths.push_back(drive(next++));
      pool.set_drive_count = set_size;
      options.pools.push_back(pool);
    }
    options.scanner_interval = std::chrono::milliseconds(0);
    // Drives that vanish go offline; the prober brings them back when they return.
    options.probe_interval = std::chrono::milliseconds(10);
    options.sync = false;
    options.heal_on_access = heal_on_access_;
    options.standard_parity = parity;
    pools_ = pools;
    auto layer = open_object_layer(options);
    if (!expect_ok) {
      open_status_ = layer.status();
      return;
    }
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    layer_ = std::move(*layer);
  }

  Status put(const std::string& key, const std::string& data) {
    StringReader reader(data);
    PutObjectOptions options;
    options.size = static_cast<int64_t>(data.size());
    return layer_->put_object("bucket", key, reader, options).status();
  }

  Result<std::string> get(const std::string& key) {
    MAXIO_TRY(auto reader, layer_->open_object("bucket", key, {}));
    return read_all(*reader, 64 << 20);
  }

  // Writes every size under keys "obj-<size>" and returns key -> data.
  std::map<std::string, std::string> put_all_sizes() {
    std::map<std::string, std::string> objects;
    uint32_t seed = 1;
    for (size_t size : kSizes) {
      std::string key = "dir/obj-" + std::to_string(size);
      objects[key] = pattern(size, seed++);
      EXPECT_TRUE(put(key, objects[key]).is_ok()) << key;
    }
    return objects;
  }

  // Waits (up to 5 s) until the prober has every drive online again.
  void wait_all_online() {
    for (int i = 0; i < 500; ++i) {
      bool all = true;
      for (const auto& d : layer_->storage_info().drives) all = all && d.state == "online";
      if (all) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "drives did not come back online";
  }

  void expect_all_readable(const std::map<std::string, std::string>& objects) {
    for (const auto& [key, data] : objects) {
      auto got = get(key);
      ASSERT_TRUE(got.is_ok()) << key << ": " << got.status().to_string();
      EXPECT_TRUE(*got == data) << key;
    }
  }

  std::string base_;
  bool heal_on_access_ = false;  // explicit heals only, unless a test wants the MRF queue
  std::vector<std::pair<int, int>> pools_;
  std::unique_ptr<ObjectLayer> layer_;
  Status open_status_;
};

TEST_F(ErasureSetTest, FormatsEveryDriveWithTheSetMatrix) {
  open({{6, 6}}, true, /*parity=*/-1);
  std::set<std::string> ids;
  for (int i = 1; i <= 6; ++i) {
    auto format = parse_format_json(slurp(drive(i) + "/.minio.sys/format.json"));
    ASSERT_TRUE(format.is_ok());
    EXPECT_EQ(format->format, "xl");
    ASSERT_EQ(format->sets.size(), 1u);
    ASSERT_EQ(format->sets[0].size(), 6u);
    EXPECT_EQ(format->sets[0][i - 1], format->this_drive);
    ids.insert(format->id);
  }
  EXPECT_EQ(ids.size(), 1u);
  StorageInfo info = layer_->storage_info();
  EXPECT_EQ(info.drives.size(), 6u);
  EXPECT_EQ(info.standard_parity, 3);  // MinIO's default for six drives
  EXPECT_EQ(info.rrs_parity, 1);
  EXPECT_EQ(info.deployment_id, *ids.begin());
}

TEST_F(ErasureSetTest, ShardsAreSpreadAsMinIODoes) {
  open({{6, 6}});
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  std::string data = pattern(3 * 1024 * 1024, 9);
  ASSERT_TRUE(put("k", data).is_ok());
  std::set<int> indexes;
  for (int i = 1; i <= 6; ++i) {
    auto meta = XlMeta::parse(slurp(drive(i) + "/bucket/k/xl.meta"));
    ASSERT_TRUE(meta.is_ok());
    auto fi = meta->file_info("bucket", "k", "", false);
    ASSERT_TRUE(fi.is_ok());
    EXPECT_EQ(fi->erasure.data_blocks, 4);
    EXPECT_EQ(fi->erasure.parity_blocks, 2);
    EXPECT_EQ(fi->erasure.distribution.size(), 6u);
    EXPECT_EQ(fi->erasure.index, fi->erasure.distribution[i - 1]);
    indexes.insert(fi->erasure.index);
    // Each drive holds size / 4 payload bytes plus one 32-byte hash per 1 MiB block.
    auto part = fs::path(drive(i)) / "bucket/k" / fi->data_dir / "part.1";
    EXPECT_EQ(fs::file_size(part), 3u * (262144 + 32));
  }
  EXPECT_EQ(indexes.size(), 6u);
}

// x-amz-storage-class: REDUCED_REDUNDANCY takes the RRS parity (default EC:1).
TEST_F(ErasureSetTest, ReducedRedundancyUsesItsOwnParity) {
  open({{6, 6}});
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  std::string data = pattern(2 * 1024 * 1024, 4);
  StringReader reader(data);
  PutObjectOptions options;
  options.size = static_cast<int64_t>(data.size());
  options.user_defined["x-amz-storage-class"] = "REDUCED_REDUNDANCY";
  auto put_rrs = layer_->put_object("bucket", "rrs", reader, options);
  ASSERT_TRUE(put_rrs.is_ok()) << put_rrs.status().to_string();
  EXPECT_EQ(put_rrs->storage_class, "REDUCED_REDUNDANCY");
  auto meta = XlMeta::parse(slurp(drive(1) + "/bucket/rrs/xl.meta"));
  ASSERT_TRUE(meta.is_ok());
  auto fi = meta->file_info("bucket", "rrs", "", false);
  ASSERT_TRUE(fi.is_ok());
  EXPECT_EQ(fi->erasure.data_blocks, 5);
  EXPECT_EQ(fi->erasure.parity_blocks, 1);
  auto got = get("rrs");
  ASSERT_TRUE(got.is_ok());
  EXPECT_TRUE(*got == data);
}

TEST_F(ErasureSetTest, ReadsWithAnyTwoDrivesGoneAndFailsCleanlyWithThree) {
  open({{6, 6}});
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  auto objects = put_all_sizes();
  for (int a = 1; a <= 6; ++a) {
    for (int b = a + 1; b <= 6; ++b) {
      fs::rename(drive(a), drive(a) + ".away");
      fs::rename(drive(b), drive(b) + ".away");
      expect_all_readable(objects);
      fs::rename(drive(a) + ".away", drive(a));
      fs::rename(drive(b) + ".away", drive(b));
      wait_all_online();
    }
  }
  auto before = snapshot(drive(1));
  for (int i : {2, 4, 6}) fs::rename(drive(i), drive(i) + ".away");
  for (const auto& [key, data] : objects) {
    auto got = get(key);
    EXPECT_FALSE(got.is_ok()) << key;
  }
  std::string fresh = pattern(1000, 77);
  EXPECT_FALSE(put("dir/new", fresh).is_ok());
  for (int i : {2, 4, 6}) fs::rename(drive(i) + ".away", drive(i));
  wait_all_online();
  auto after = snapshot(drive(1));
  for (const auto& [rel, bytes] : after) EXPECT_TRUE(before.count(rel)) << "new file " << rel;
  EXPECT_EQ(after.size(), before.size());
  expect_all_readable(objects);
}

TEST_F(ErasureSetTest, CorruptShardIsReadAroundAndHealed) {
  open({{6, 6}});
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  auto objects = put_all_sizes();
  auto pristine = snapshot(drive(3));
  // Flip one byte in every shard file (part.1 or inline xl.meta data) of drive 3.
  int flipped = 0;
  for (const auto& [rel, bytes] : pristine) {
    if (rel.find("part.1") == std::string::npos) continue;
    std::fstream f(fs::path(drive(3)) / rel, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(bytes.size() / 2));
    char c = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
    f.write(&c, 1);
    ++flipped;
  }
  ASSERT_GT(flipped, 0);
  expect_all_readable(objects);
  auto summary = layer_->heal("bucket", "", /*deep=*/true);
  ASSERT_TRUE(summary.is_ok()) << summary.status().to_string();
  EXPECT_EQ(summary->objects_healed, static_cast<uint64_t>(flipped));
  EXPECT_EQ(snapshot(drive(3)), pristine);
}

// A read that meets a damaged shard queues the object; the MRF queue heals it unasked.
TEST_F(ErasureSetTest, ReadOfDamagedShardHealsInTheBackground) {
  heal_on_access_ = true;
  open({{6, 6}});
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  std::string data = pattern(2 * 1024 * 1024 + 3, 5);
  ASSERT_TRUE(put("k", data).is_ok());
  // Damage the drive holding data shard 1, which every read uses.
  int holder = 0;
  for (int i = 1; i <= 6; ++i) {
    auto meta = XlMeta::parse(slurp(drive(i) + "/bucket/k/xl.meta"));
    ASSERT_TRUE(meta.is_ok());
    if (meta->file_info("bucket", "k", "", false)->erasure.index == 1) holder = i;
  }
  ASSERT_NE(holder, 0);
  auto pristine = snapshot(drive(holder));
  std::string part;
  for (const auto& [rel, bytes] : pristine) {
    if (rel.find("part.1") != std::string::npos) part = rel;
  }
  ASSERT_FALSE(part.empty());
  {
    std::fstream f(fs::path(drive(holder)) / part, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put(static_cast<char>(pristine[part][40] ^ 1));
  }
  auto got = get("k");
  ASSERT_TRUE(got.is_ok());
  EXPECT_TRUE(*got == data);
  for (int i = 0; i < 200 && snapshot(drive(holder))[part] != pristine[part]; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(snapshot(drive(holder))[part] == pristine[part]);
  EXPECT_GE(layer_->storage_info().healing.mrf_queued, 1u);
}

TEST_F(ErasureSetTest, BlankReplacementDriveGetsFormatAndShardsBack) {
  open({{6, 6}});
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  auto objects = put_all_sizes();
  auto pristine = snapshot(drive(5));
  std::string format_before = slurp(drive(5) + "/.minio.sys/format.json");
  layer_.reset();
  fs::remove_all(drive(5));
  fs::create_directory(drive(5));
  open({{6, 6}});
  EXPECT_EQ(slurp(drive(5) + "/.minio.sys/format.json"), format_before);
  expect_all_readable(objects);
  auto summary = layer_->heal("", "", /*deep=*/false);
  ASSERT_TRUE(summary.is_ok()) << summary.status().to_string();
  EXPECT_EQ(summary->objects_healed, objects.size());
  auto healed = snapshot(drive(5));
  for (const auto& [rel, bytes] : pristine) {
    if (rel.starts_with(".minio.sys/tmp")) continue;
    ASSERT_TRUE(healed.count(rel)) << rel;
    EXPECT_TRUE(healed[rel] == bytes) << rel;
  }
  // Healing again finds nothing to do.
  summary = layer_->heal("", "", /*deep=*/true);
  ASSERT_TRUE(summary.is_ok());
  EXPECT_EQ(summary->objects_healed, 0u);
}

TEST_F(ErasureSetTest, ForeignDriveIsReportedNotOverwritten) {
  open({{4, 4}});
  layer_.reset();
  std::string foreign = serialize_format_json(new_formats(1, 4)[1]);
  std::ofstream(drive(2) + "/.minio.sys/format.json", std::ios::trunc) << foreign;
  open({{4, 4}});
  EXPECT_EQ(slurp(drive(2) + "/.minio.sys/format.json"), foreign);
  StorageInfo info = layer_->storage_info();
  int offline = 0;
  for (const auto& d : info.drives) offline += d.state == "offline";
  EXPECT_EQ(offline, 1);
}

TEST_F(ErasureSetTest, WrongLayoutIsRefused) {
  open({{4, 4}});
  layer_.reset();
  open({{4, 2}}, /*expect_ok=*/false);
  EXPECT_EQ(open_status_.code(), ErrorCode::kCorruptedFormat);
}

TEST_F(ErasureSetTest, DanglingRemnantIsRemoved) {
  open({{4, 4}});
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  ASSERT_TRUE(put("gone", pattern(5000, 3)).is_ok());
  // As if a delete reached only one drive's neighbours: drives 2..4 lose it.
  for (int i = 2; i <= 4; ++i) fs::remove_all(drive(i) + "/bucket/gone");
  EXPECT_EQ(get("gone").code(), ErrorCode::kNoSuchKey);
  auto summary = layer_->heal("bucket", "", false);
  ASSERT_TRUE(summary.is_ok());
  EXPECT_EQ(summary->dangling_removed, 1u);
  EXPECT_FALSE(fs::exists(drive(1) + "/bucket/gone"));
}

// Two sets in one pool and a second pool: keys spread over sets, listing merges them all.
TEST_F(ErasureSetTest, SetsAndPoolsListAsOne) {
  open({{8, 4}, {4, 4}});
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  std::set<std::string> keys;
  for (int i = 0; i < 60; ++i) {
    std::string key = (i % 3 == 0 ? "a/" : i % 3 == 1 ? "b/c/" : "") + std::to_string(1000 + i);
    ASSERT_TRUE(put(key, pattern(100 + i, i)).is_ok());
    keys.insert(key);
  }
  // Both sets of pool 1 hold objects.
  int sets_used = 0;
  for (int set = 0; set < 2; ++set) {
    bool any = false;
    for (int d = 1 + set * 4; d <= 4 + set * 4; ++d) {
      any = any || !fs::is_empty(drive(d) + "/bucket");
    }
    sets_used += any;
  }
  EXPECT_EQ(sets_used, 2);
  std::vector<std::string> listed;
  std::string marker;
  while (true) {
    auto page = layer_->list_objects("bucket", "", marker, "", 7);
    ASSERT_TRUE(page.is_ok()) << page.status().to_string();
    for (const auto& o : page->objects) listed.push_back(o.name);
    if (!page->is_truncated) break;
    marker = page->next_marker;
  }
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.end()), listed);
  auto top = layer_->list_objects("bucket", "", "", "/", 1000);
  ASSERT_TRUE(top.is_ok());
  EXPECT_EQ(top->prefixes, (std::vector<std::string>{"a/", "b/"}));
  EXPECT_EQ(top->objects.size(), 20u);
  // A prefix whose objects all live in one set shows once, whichever set holds them.
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(put("solo" + std::to_string(i) + "/x", "1").is_ok());
  }
  auto solos = layer_->list_objects("bucket", "solo", "", "/", 1000);
  ASSERT_TRUE(solos.is_ok());
  EXPECT_EQ(solos->prefixes.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(layer_->delete_object("bucket", "solo" + std::to_string(i) + "/x", {}).is_ok());
  }
  for (const auto& key : keys) {
    auto got = get(key);
    ASSERT_TRUE(got.is_ok()) << key;
    ASSERT_TRUE(layer_->delete_object("bucket", key, {}).is_ok());
  }
  EXPECT_TRUE(layer_->delete_bucket("bucket", false).is_ok());
}

TEST_F(ErasureSetTest, SystemObjectsAreErasureCodedAndListed) {
  open({{8, 4}});
  EXPECT_EQ(layer_->read_system_object("config.json").code(), ErrorCode::kNoSuchKey);
  ASSERT_TRUE(layer_->write_system_object("config.json", "{\"a\":1}").is_ok());
  ASSERT_TRUE(layer_->write_system_object("iam/users/alice.json", "alice").is_ok());
  ASSERT_TRUE(layer_->write_system_object("iam/users/bob.json", "bob").is_ok());
  auto got = layer_->read_system_object("config.json");
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(*got, "{\"a\":1}");
  auto users = layer_->list_system_objects("iam/users/");
  ASSERT_TRUE(users.is_ok());
  EXPECT_EQ(*users, (std::vector<std::string>{"iam/users/alice.json", "iam/users/bob.json"}));
  // Not a bucket, and never listed as one.
  auto buckets = layer_->list_buckets();
  ASSERT_TRUE(buckets.is_ok());
  EXPECT_TRUE(buckets->empty());
  EXPECT_EQ(layer_->read_system_object("../escape").code(), ErrorCode::kInvalidObjectName);
  ASSERT_TRUE(layer_->delete_system_object("iam/users/bob.json").is_ok());
  users = layer_->list_system_objects("iam/");
  ASSERT_TRUE(users.is_ok());
  EXPECT_EQ(users->size(), 1u);
  // Survives the loss of a drive of its set, like any object. Each drive is renamed away
  // before it is deleted: the layer notices the first loss at once and may start to
  // re-format the other drive while a plain remove_all is still emptying it.
  for (int d : {1, 5}) {
    const std::string gone = drive(d) + ".gone";
    fs::rename(drive(d), gone);
    fs::remove_all(gone);
  }
  got = layer_->read_system_object("iam/users/alice.json");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(*got, "alice");
}

TEST_F(ErasureSetTest, ScannerCountsUsagePerBucket) {
  layer_.reset();
  ObjectLayerOptions options;
  PoolLayout pool;
  for (int i = 1; i <= 4; ++i) pool.drive_paths.push_back(drive(i));
  pool.set_drive_count = 4;
  options.pools = {pool};
  options.scanner_interval = std::chrono::milliseconds(50);
  options.probe_interval = std::chrono::milliseconds(0);
  options.sync = false;
  auto layer = open_object_layer(options);
  ASSERT_TRUE(layer.is_ok());
  layer_ = std::move(*layer);
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  ASSERT_TRUE(layer_->make_bucket("empty", {}).is_ok());
  ASSERT_TRUE(put("a", std::string(1000, 'a')).is_ok());
  ASSERT_TRUE(put("b/c", std::string(3 * 1024 * 1024, 'c')).is_ok());
  uint64_t start = layer_->storage_info().healing.scanner_cycles;
  for (int i = 0; i < 200 && layer_->storage_info().healing.scanner_cycles < start + 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  StorageInfo info = layer_->storage_info();
  ASSERT_TRUE(info.usage_updated.has_value());
  ASSERT_EQ(info.usage.size(), 2u);
  EXPECT_EQ(info.usage[0].bucket, "bucket");
  EXPECT_EQ(info.usage[0].objects, 2u);
  EXPECT_EQ(info.usage[0].bytes, 1000u + 3 * 1024 * 1024);
  EXPECT_EQ(info.usage[1].bucket, "empty");
  EXPECT_EQ(info.usage[1].objects, 0u);
  EXPECT_GE(info.healing.objects_scanned, 2u);
}

// A drive that stops answering (here: one xl.meta replaced by a FIFO, whose open() blocks)
// is taken offline by the prober after drive_timeout; requests for other objects read and
// write around it. (The request stuck in the hung call itself waits for the drive.)
TEST_F(ErasureSetTest, HungDriveIsTakenOfflineAndOthersAreServed) {
  layer_.reset();
  ObjectLayerOptions options;
  PoolLayout pool;
  for (int i = 1; i <= 4; ++i) pool.drive_paths.push_back(drive(i));
  pool.set_drive_count = 4;
  options.pools = {pool};
  options.scanner_interval = std::chrono::milliseconds(0);
  options.probe_interval = std::chrono::milliseconds(20);
  options.drive_timeout = std::chrono::milliseconds(100);
  options.heal_on_access = false;
  options.sync = false;
  auto layer = open_object_layer(options);
  ASSERT_TRUE(layer.is_ok());
  layer_ = std::move(*layer);
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  std::string other = pattern(200000, 9);
  ASSERT_TRUE(put("other", other).is_ok());
  std::string data = pattern(300000, 8);
  ASSERT_TRUE(put("k", data).is_ok());
  const std::string meta = drive(2) + "/bucket/k/xl.meta";
  fs::remove(meta);
  ASSERT_EQ(::mkfifo(meta.c_str(), 0644), 0);

  std::atomic<bool> first_done{false};
  std::thread stuck([&] {
    auto got = get("k");  // blocks on drive 2 until the FIFO gets a writer
    first_done = true;
  });
  bool offline = false;
  for (int i = 0; i < 200 && !offline; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (const auto& d : layer_->storage_info().drives) {
      offline = offline || (d.endpoint == drive(2) && d.state == "offline");
    }
  }
  EXPECT_TRUE(offline);
  EXPECT_FALSE(first_done.load());
  auto got = get("other");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_TRUE(*got == other);
  EXPECT_TRUE(put("new", other).is_ok());
  // Release the hung call.
  int fd = ::open(meta.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ::close(fd);
  stuck.join();
  EXPECT_TRUE(first_done.load());
}

}  // namespace
}  // namespace maxio
