#include "gui/widgets/app.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "gui/core/aliases.h"
#include "gui/core/buckets_model.h"
#include "gui/core/server_info_model.h"
#include "gui/core/topology_model.h"
#include "gui/widgets/main_window.h"

namespace maxio::console {
namespace {

constexpr const char* kEnvironmentHelp = R"(
Credentials and endpoint, first found wins: the options above, --alias (maxioctl's
configuration, $MAXIO_CONFIG_DIR/config.json or ~/.config/maxio/config.json), then the
environment: MAXIO_ENDPOINT, MAXIO_ACCESS_KEY / MAXIO_SECRET_KEY (or AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY). Prefer an alias or the environment to --secret-key: a command
line is visible to every user.

--screenshot exit codes: 0 saved, 1 saved but the refresh met errors, 2 usage error,
3 no refresh within --timeout, 4 the file could not be written.
)";

std::optional<std::string> getenv_lookup(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::optional<std::string>(value) : std::nullopt;
}

QJsonObject summary(MainWindow& window, const QStringList& errors, const QString& file) {
  QJsonObject out;
  out["errors"] = QJsonArray::fromStringList(errors);
  QJsonObject info;
  const ServerInfoModel& info_model = window.server_info_model();
  for (int row = 0; row < info_model.rowCount(); ++row) {
    info[info_model.index(row, 0).data().toString()] = info_model.index(row, 1).data().toString();
  }
  out["info"] = info;
  const TopologyModel& topology = window.topology_model();
  int sets = 0;
  for (int pool = 0; pool < topology.rowCount(); ++pool) {
    sets += topology.rowCount(topology.index(pool, 0));
  }
  out["pools"] = topology.rowCount();
  out["sets"] = sets;
  out["drives"] = topology.drive_count();
  out["drives_online"] = topology.drives_in_state("online");
  const BucketsModel& buckets = window.buckets_model();
  QJsonArray bucket_rows;
  for (int row = 0; row < buckets.rowCount(); ++row) {
    QJsonObject bucket;
    bucket["name"] = buckets.index(row, BucketsModel::kName).data().toString();
    bucket["objects"] =
        buckets.index(row, BucketsModel::kObjects).data(BucketsModel::kSortRole).toLongLong();
    bucket["bytes"] =
        buckets.index(row, BucketsModel::kSize).data(BucketsModel::kSortRole).toLongLong();
    bucket_rows.append(bucket);
  }
  out["buckets"] = bucket_rows;
  out["screenshot"] = file;
  return out;
}

}  // namespace

int run_console(int argc, char** argv) {
  QCoreApplication::setApplicationName("maxio-console");
  QCoreApplication::setApplicationVersion(MAXIO_VERSION);
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "maxio-console: a desktop console for Maxio servers (server info, pools, sets and\n"
      "drives, buckets), refreshed every few seconds.");
  QCommandLineOption help({"h", "help"}, "Show this help.");
  QCommandLineOption version({"V", "version"}, "Show the version.");
  QCommandLineOption endpoint("endpoint", "Server URL, e.g. http://127.0.0.1:9000.", "URL");
  QCommandLineOption alias("alias", "Endpoint and keys from this alias of maxioctl.", "NAME");
  QCommandLineOption access_key("access-key", "Access key.", "KEY");
  QCommandLineOption secret_key("secret-key",
                                "Secret key (visible in ps: prefer the "
                                "environment).",
                                "KEY");
  QCommandLineOption region("region", "Signing region (default us-east-1).", "REGION");
  QCommandLineOption refresh("refresh", "Seconds between refreshes (default 5).", "SECONDS", "5");
  QCommandLineOption screenshot("screenshot",
                                "Connect, wait for the first refresh, save the "
                                "window as FILE (PNG), print a JSON summary of what it shows, "
                                "and exit.",
                                "FILE");
  QCommandLineOption tab("tab", "The tab to show: overview, topology or buckets.", "NAME");
  QCommandLineOption refreshes("refreshes",
                               "With --screenshot: wait for N refreshes (the "
                               "first, then one every --refresh seconds; default 1).",
                               "N", "1");
  QCommandLineOption timeout("timeout",
                             "With --screenshot: most seconds to wait (default "
                             "30).",
                             "SECONDS", "30");
  parser.addOptions({help, version, endpoint, alias, access_key, secret_key, region, refresh,
                     screenshot, refreshes, tab, timeout});

  // --help and --version need no display: answer them before any QApplication exists.
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
  if (!parser.parse(arguments)) {
    std::fprintf(stderr, "maxio-console: %s (see --help)\n", qPrintable(parser.errorText()));
    return 2;
  }
  if (parser.isSet(help)) {
    // Without a QCoreApplication the parser cannot know the program's name.
    QString text = parser.helpText().replace("<executable_name>", "maxio-console");
    std::printf("%s%s", qPrintable(text), kEnvironmentHelp);
    return 0;
  }
  if (parser.isSet(version)) {
    std::printf("maxio-console %s\n", MAXIO_VERSION);
    return 0;
  }
  if (!parser.positionalArguments().isEmpty()) {
    std::fprintf(stderr, "maxio-console: unexpected argument %s (see --help)\n",
                 qPrintable(parser.positionalArguments().first()));
    return 2;
  }
  bool ok = false;
  const int refresh_seconds = parser.value(refresh).toInt(&ok);
  if (!ok || refresh_seconds < 1) {
    std::fprintf(stderr, "maxio-console: --refresh needs a whole number of seconds >= 1\n");
    return 2;
  }
  const int timeout_seconds = parser.value(timeout).toInt(&ok);
  if (!ok || timeout_seconds < 1) {
    std::fprintf(stderr, "maxio-console: --timeout needs a whole number of seconds >= 1\n");
    return 2;
  }
  const int refreshes_wanted = parser.value(refreshes).toInt(&ok);
  if (!ok || refreshes_wanted < 1) {
    std::fprintf(stderr, "maxio-console: --refreshes needs a whole number >= 1\n");
    return 2;
  }
  static const QStringList kTabs = {"overview", "topology", "buckets"};
  const int tab_index = parser.isSet(tab) ? kTabs.indexOf(parser.value(tab)) : 0;
  if (tab_index < 0) {
    std::fprintf(stderr, "maxio-console: --tab is overview, topology or buckets\n");
    return 2;
  }

  QApplication app(argc, argv);
  MainWindow window;
  window.set_refresh_interval(refresh_seconds * 1000);
  window.tabs().setCurrentIndex(tab_index);

  QStringList problems;
  std::map<std::string, Connection> aliases;
  auto alias_file = default_alias_file(getenv_lookup);
  if (alias_file) {
    auto loaded = load_aliases(*alias_file);
    if (loaded) {
      aliases = std::move(loaded).value();
    } else {
      problems << QString::fromStdString(loaded.status().message());
    }
  }
  window.set_aliases(aliases);

  Connection connection;
  if (parser.isSet(alias)) {
    auto it = aliases.find(parser.value(alias).toStdString());
    if (it == aliases.end()) {
      std::fprintf(stderr, "maxio-console: no alias %s in %s\n", qPrintable(parser.value(alias)),
                   alias_file ? alias_file->c_str() : "(no alias file)");
      return 2;
    }
    connection = it->second;
  }
  if (parser.isSet(endpoint)) connection.endpoint = parser.value(endpoint).toStdString();
  if (parser.isSet(access_key)) connection.access_key = parser.value(access_key).toStdString();
  if (parser.isSet(secret_key)) connection.secret_key = parser.value(secret_key).toStdString();
  if (parser.isSet(region)) connection.region = parser.value(region).toStdString();
  fill_from_environment(connection, getenv_lookup);

  const bool screenshot_mode = parser.isSet(screenshot);
  if (screenshot_mode) {
    if (Status valid = validate(connection); !valid.is_ok()) {
      std::fprintf(stderr, "maxio-console: %s\n", valid.message().c_str());
      return 2;
    }
    const QString file = parser.value(screenshot);
    auto seen = std::make_shared<int>(0);
    QObject::connect(&window, &MainWindow::refresh_finished, &app,
                     [&window, file, seen, refreshes_wanted](const QStringList& errors) {
                       if (++*seen != refreshes_wanted) return;
                       QPixmap picture = window.grab();
                       if (!picture.save(file, "PNG")) {
                         std::fprintf(stderr, "maxio-console: cannot write %s\n", qPrintable(file));
                         QCoreApplication::exit(4);
                         return;
                       }
                       QJsonObject out = summary(window, errors, file);
                       out["refreshes"] = *seen;
                       QJsonDocument doc(out);
                       std::printf("%s\n", doc.toJson(QJsonDocument::Compact).constData());
                       std::fflush(stdout);
                       QCoreApplication::exit(errors.isEmpty() ? 0 : 1);
                     });
    QTimer::singleShot(timeout_seconds * 1000, &app, [] {
      std::fprintf(stderr, "maxio-console: no refresh finished in time\n");
      QCoreApplication::exit(3);
    });
  }
  window.show();
  if (!connection.endpoint.empty()) {
    window.connect_to(connection, parser.value(alias));
  }
  if (!problems.isEmpty()) window.show_error(problems.join("; "));
  return app.exec();
}

}  // namespace maxio::console
