// maxioctl end to end in-process, without a Maxio server: usage errors and exit codes,
// help, the alias commands and their config file, JSON output shapes, errors for missing
// aliases, local copies and mirrors, completion.

#include "cli/app.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/unit/cli/cli_test_support.h"

namespace maxio::cli {
namespace {

using testing::Cli;
using testing::RunResult;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CliUsageTest, NoCommandPrintsHelpAndExits2) {
  Cli cli;
  RunResult result = cli.run({});
  EXPECT_EQ(result.code, 2);
  EXPECT_TRUE(contains(result.err, "COMMANDS:"));
  EXPECT_TRUE(result.out.empty());
}

TEST(CliUsageTest, HelpListsEveryCommandAndExits0) {
  Cli cli;
  RunResult result = cli.run({"--help"});
  EXPECT_EQ(result.code, 0);
  for (const char* name : {"alias set", "ls", "mb", "rb", "cp", "mv", "rm", "cat", "stat", "mirror",
                           "presign", "admin info", "admin heal", "admin config get", "admin trace",
                           "admin prometheus generate", "completion"}) {
    EXPECT_TRUE(contains(result.out, "  " + std::string(name) + " ")) << name;
  }
  EXPECT_FALSE(contains(result.out, "__complete"));
}

TEST(CliUsageTest, CommandAndGroupHelp) {
  Cli cli;
  RunResult cp = cli.run({"cp", "--help"});
  EXPECT_EQ(cp.code, 0);
  EXPECT_TRUE(contains(cp.out, "USAGE:\n  maxioctl cp [FLAGS] SOURCE... TARGET"));
  EXPECT_TRUE(contains(cp.out, "-r, --recursive"));
  EXPECT_TRUE(contains(cp.out, "--json"));
  RunResult admin = cli.run({"admin", "--help"});
  EXPECT_EQ(admin.code, 0);
  EXPECT_TRUE(contains(admin.out, "config get"));
  RunResult bare = cli.run({"admin", "config"});
  EXPECT_EQ(bare.code, 2);
  EXPECT_TRUE(contains(bare.err, "get"));
  RunResult version = cli.run({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_TRUE(version.out.starts_with("maxioctl "));
}

TEST(CliUsageTest, UsageErrorsExit2WithOneLine) {
  Cli cli;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"frobnicate"}, "maxioctl: unknown command 'frobnicate' (see maxioctl --help)\n"},
           {{"admin", "frob"},
            "maxioctl: unknown command 'admin frob' (see maxioctl admin --help)\n"},
           {{"ls", "--bogus"}, "maxioctl: unknown flag --bogus (see maxioctl ls --help)\n"},
           {{"cp", "a"},
            "maxioctl: missing arguments: maxioctl cp [FLAGS] SOURCE... TARGET (see maxioctl cp "
            "--help)\n"},
           {{"presign", "a", "b"},
            "maxioctl: too many arguments: maxioctl presign [FLAGS] ALIAS/BUCKET/KEY (see "
            "maxioctl presign --help)\n"},
           {{"rm", "-r", "x/y"},
            "maxioctl: removing recursively needs --force (see maxioctl rm "
            "--help)\n"},
           {{"alias", "set", "1bad", "http://h:1", "a", "b"},
            "maxioctl: invalid alias name '1bad': use a letter followed by letters, digits, '-' "
            "or '_' (see maxioctl alias set --help)\n"},
       }) {
    RunResult result = cli.run(c.args);
    EXPECT_EQ(result.code, 2) << c.args[0];
    EXPECT_EQ(result.err, c.message);
  }
}

TEST(CliUsageTest, UsageErrorsInJsonModeAlsoReachStdout) {
  Cli cli;
  RunResult result = cli.run({"ls", "--json", "--bogus"});
  EXPECT_EQ(result.code, 2);
  auto lines = result.json();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], "error");
  EXPECT_EQ(lines[0]["error"]["message"], "unknown flag --bogus (see maxioctl ls --help)");
}

TEST(CliAliasTest, SetListRemove) {
  Cli cli;
  RunResult set = cli.run({"alias", "set", "local", "http://127.0.0.1:9000/", "AKID", "SECRET"});
  EXPECT_EQ(set.code, 0) << set.err;
  EXPECT_EQ(set.out, "Added `local` successfully.\n");
  struct stat st;
  ASSERT_EQ(::stat(cli.config_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  RunResult json = cli.run({"alias", "set", "--json", "--path", "on", "--region", "eu-west-1",
                            "other", "https://s3.example.com", "K2", "S2"});
  ASSERT_EQ(json.code, 0) << json.err;
  auto set_lines = json.json();
  ASSERT_EQ(set_lines.size(), 1u);
  EXPECT_EQ(set_lines[0]["status"], "success");
  EXPECT_EQ(set_lines[0]["alias"], "other");
  EXPECT_EQ(set_lines[0]["URL"], "https://s3.example.com");
  EXPECT_FALSE(set_lines[0].contains("secretKey"));  // not echoed when set

  RunResult ls = cli.run({"alias", "ls", "--json"});
  ASSERT_EQ(ls.code, 0);
  auto lines = ls.json();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["alias"], "local");
  EXPECT_EQ(lines[0]["URL"], "http://127.0.0.1:9000");
  EXPECT_EQ(lines[0]["accessKey"], "AKID");
  EXPECT_EQ(lines[0]["secretKey"], "SECRET");
  EXPECT_EQ(lines[0]["api"], "s3v4");
  EXPECT_EQ(lines[0]["path"], "auto");
  EXPECT_EQ(lines[1]["alias"], "other");
  EXPECT_EQ(lines[1]["path"], "on");
  EXPECT_EQ(lines[1]["region"], "eu-west-1");

  RunResult one = cli.run({"alias", "ls", "local"});
  EXPECT_EQ(one.code, 0);
  EXPECT_TRUE(contains(one.out, "  URL       : http://127.0.0.1:9000\n"));

  auto file = nlohmann::json::parse(testing::read_file(cli.config_path()));
  EXPECT_EQ(file["version"], "1");
  EXPECT_EQ(file["aliases"]["local"]["secretKey"], "SECRET");

  EXPECT_EQ(cli.run({"alias", "rm", "local"}).code, 0);
  RunResult gone = cli.run({"alias", "ls", "local"});
  EXPECT_EQ(gone.code, 1);
  EXPECT_TRUE(contains(gone.err, "unknown alias 'local'"));
  RunResult again = cli.run({"alias", "rm", "local"});
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(again.err, "maxioctl: alias rm: unknown alias 'local'\n");
}

// Regression: a random secret key starting with '-' was taken for a flag (exit 2).
TEST(CliAliasTest, KeysMayStartWithADash) {
  Cli cli;
  RunResult set = cli.run({"alias", "set", "--json", "k", "http://127.0.0.1:1", "-Cak", "-yl0v",
                           "--region", "eu-west-1"});
  ASSERT_EQ(set.code, 0) << set.err;
  auto file = nlohmann::json::parse(testing::read_file(cli.config_path()));
  EXPECT_EQ(file["aliases"]["k"]["accessKey"], "-Cak");
  EXPECT_EQ(file["aliases"]["k"]["secretKey"], "-yl0v");
  EXPECT_EQ(file["aliases"]["k"]["region"], "eu-west-1");
}

TEST(CliAliasTest, KeysFromStandardInput) {
  Cli cli;
  RunResult set = cli.run({"alias", "set", "local", "http://127.0.0.1:9000"}, "AKIN\nSECRETIN\n");
  ASSERT_EQ(set.code, 0) << set.err;
  auto file = nlohmann::json::parse(testing::read_file(cli.config_path()));
  EXPECT_EQ(file["aliases"]["local"]["accessKey"], "AKIN");
  EXPECT_EQ(file["aliases"]["local"]["secretKey"], "SECRETIN");
  EXPECT_EQ(cli.run({"alias", "set", "x", "http://h:1"}, "").code, 2);
  EXPECT_EQ(cli.run({"alias", "set", "x", "http://h:1", "onlyaccess"}).code, 2);
  EXPECT_EQ(cli.run({"alias", "set", "x", "not-a-url", "a", "b"}).code, 2);
}

TEST(CliAliasTest, MalformedConfigFails) {
  Cli cli;
  testing::write_file(cli.config_path(), "{oops");
  RunResult result = cli.run({"ls", "x"});
  EXPECT_EQ(result.code, 1);
  EXPECT_TRUE(contains(result.err, "malformed config file " + cli.config_path()));
}

TEST(CliAliasTest, EnvironmentAlias) {
  Cli cli;
  cli.set_env("MAXIO_HOST_envy", "http://AK:SK@127.0.0.1:1");
  RunResult ls = cli.run({"alias", "ls", "envy", "--json"});
  ASSERT_EQ(ls.code, 0) << ls.err;
  EXPECT_EQ(ls.json()[0]["URL"], "http://127.0.0.1:1");
  EXPECT_EQ(ls.json()[0]["accessKey"], "AK");
}

TEST(CliErrorTest, MissingAliasIsAnErrorNotAUsageError) {
  Cli cli;
  RunResult mb = cli.run({"mb", "nope/bucket"});
  EXPECT_EQ(mb.code, 1);
  EXPECT_EQ(mb.err,
            "maxioctl: mb nope/bucket: unknown alias 'nope' (add it with: maxioctl alias set "
            "nope URL ACCESS-KEY SECRET-KEY)\n");
  RunResult ls = cli.run({"ls", "--json", "nope/bucket"});
  EXPECT_EQ(ls.code, 1);
  EXPECT_EQ(ls.err,
            "maxioctl: ls nope/bucket: No such file or directory (and 'nope' is not an "
            "alias)\n");
  auto lines = ls.json();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], "error");
  EXPECT_EQ(lines[0]["error"]["code"], "FileNotFound");
  RunResult stat = cli.run({"stat", "nope/bucket/key"});
  EXPECT_EQ(stat.code, 1);
  RunResult presign = cli.run({"presign", "nope/b/k"});
  EXPECT_EQ(presign.code, 1);
  EXPECT_TRUE(contains(presign.err, "unknown alias 'nope'"));
  RunResult admin = cli.run({"admin", "info", "nope"});
  EXPECT_EQ(admin.code, 1);
  EXPECT_TRUE(contains(admin.err, "unknown alias 'nope'"));
}

TEST(CliErrorTest, UnreachableServerIsOneLine) {
  Cli cli;
  cli.add_alias("dead", "http://127.0.0.1:1");
  RunResult result = cli.run({"ls", "dead"});
  EXPECT_EQ(result.code, 1);
  EXPECT_TRUE(result.err.starts_with("maxioctl: ls dead: ")) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
}

TEST(CliLocalTest, CopiesLargeFilesInParallelRanges) {
  Cli cli;
  std::string data = testing::pattern_bytes((12 << 20) + 12345);
  testing::write_file(cli.dir() / "src/big.bin", data);
  RunResult cp = cli.run({"cp", "--json", "--part-size", "5MiB", "--parallel", "3",
                          cli.dir() / "src/big.bin", cli.dir() / "out/"});
  ASSERT_EQ(cp.code, 0) << cp.err;
  EXPECT_EQ(testing::read_file(cli.dir() / "out/big.bin"), data);
  auto lines = cp.json();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], "success");
  EXPECT_EQ(lines[0]["source"], cli.dir() / "src/big.bin");
  EXPECT_EQ(lines[0]["target"], cli.dir() / "out/big.bin");
  EXPECT_EQ(lines[0]["size"], data.size());
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(testing::fs::directory_iterator(cli.dir() / "out"),
                          testing::fs::directory_iterator()),
            1);
}

TEST(CliLocalTest, RecursiveCopyAndTrailingSlash) {
  Cli cli;
  testing::write_file(cli.dir() / "tree/a.txt", "a");
  testing::write_file(cli.dir() / "tree/sub/b.txt", "bb");
  ASSERT_EQ(cli.run({"cp", "-r", cli.dir() / "tree", cli.dir() / "named"}).code, 0);
  EXPECT_EQ(testing::read_file(cli.dir() / "named/tree/sub/b.txt"), "bb");
  ASSERT_EQ(cli.run({"cp", "-r", cli.dir() / "tree/", cli.dir() / "contents"}).code, 0);
  EXPECT_EQ(testing::read_file(cli.dir() / "contents/a.txt"), "a");
  EXPECT_EQ(testing::read_file(cli.dir() / "contents/sub/b.txt"), "bb");
  RunResult not_recursive = cli.run({"cp", cli.dir() / "tree", cli.dir() / "x"});
  EXPECT_EQ(not_recursive.code, 1);
  EXPECT_TRUE(contains(not_recursive.err, "is a directory (use -r)"));
  RunResult missing = cli.run({"cp", cli.dir() / "nope", cli.dir() / "x"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_TRUE(contains(missing.err, "No such file or directory"));
}

TEST(CliLocalTest, MirrorCopiesChangesOnlyAndRemoves) {
  Cli cli;
  testing::write_file(cli.dir() / "m/a", "1");
  testing::write_file(cli.dir() / "m/d/b", "22");
  RunResult first = cli.run({"mirror", "--json", cli.dir() / "m", cli.dir() / "copy"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.json().size(), 2u);
  RunResult second = cli.run({"mirror", "--json", cli.dir() / "m", cli.dir() / "copy"});
  ASSERT_EQ(second.code, 0);
  EXPECT_EQ(second.json().size(), 0u) << second.out;
  testing::write_file(cli.dir() / "m/a", "333");
  testing::fs::remove(cli.dir() / "m/d/b");
  testing::write_file(cli.dir() / "copy/extra", "x");
  RunResult third = cli.run({"mirror", "--remove", cli.dir() / "m", cli.dir() / "copy"});
  ASSERT_EQ(third.code, 0) << third.err;
  EXPECT_EQ(testing::read_file(cli.dir() / "copy/a"), "333");
  EXPECT_FALSE(testing::fs::exists(cli.dir() / "copy/d/b"));
  EXPECT_FALSE(testing::fs::exists(cli.dir() / "copy/extra"));
  EXPECT_TRUE(contains(third.out, "Mirror: 1 copied, 2 removed, 0 unchanged."));
}

TEST(CliLocalTest, LsStatCatOnLocalFiles) {
  Cli cli;
  testing::write_file(cli.dir() / "f/x.txt", "hello");
  RunResult ls = cli.run({"ls", "--json", cli.dir() / "f"});
  ASSERT_EQ(ls.code, 0);
  auto lines = ls.json();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["type"], "file");
  EXPECT_EQ(lines[0]["key"], "x.txt");
  EXPECT_EQ(lines[0]["size"], 5);
  EXPECT_TRUE(lines[0].contains("lastModified"));
  RunResult stat = cli.run({"stat", "--json", cli.dir() / "f/x.txt"});
  EXPECT_EQ(stat.json()[0]["size"], 5);
  EXPECT_EQ(cli.run({"cat", cli.dir() / "f/x.txt", cli.dir() / "f/x.txt"}).out, "hellohello");
}

TEST(CliCompletionTest, ScriptAndCandidates) {
  Cli cli;
  cli.add_alias("local", "http://127.0.0.1:1");
  RunResult script = cli.run({"completion", "bash"});
  EXPECT_EQ(script.code, 0);
  EXPECT_TRUE(contains(script.out, "complete -o filenames -F _maxioctl maxioctl"));
  auto candidates = [&](std::vector<std::string> words) {
    words.insert(words.begin(), {"__complete", "--"});
    return cli.run(words).out;
  };
  EXPECT_TRUE(contains(candidates({""}), "\nls\n"));
  EXPECT_TRUE(contains(candidates({""}), "admin\n"));
  EXPECT_EQ(candidates({"admin", "config", ""}), "get\nhistory\nrestore\nset\n");
  EXPECT_TRUE(contains(candidates({"cp", "--"}), "--recursive\n"));
  EXPECT_EQ(candidates({"cp", "lo"}), "local/\n::files\n");
  EXPECT_EQ(candidates({"admin", "info", ""}), "local\n");
}

}  // namespace
}  // namespace maxio::cli
