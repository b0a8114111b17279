#pragma once
// MainWindow: the console's window. A connection bar (an alias of maxioctl's config, or an
// endpoint with access and secret key), and three tabs over the core models: Overview
// (server info), Topology (pools -> sets -> drives, heal counters) and Buckets (objects and
// bytes per bucket). Every request runs on the AdminWorker's thread; the window refreshes
// every few seconds and shows failures in the status bar, never in a dialog that blocks.
// GUI-thread only.

#include <QMainWindow>
#include <QThread>
#include <QTimer>
#include <map>
#include <string>

#include "gui/core/aliases.h"
#include "gui/core/snapshot.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTreeView;

namespace maxio::console {

class AdminWorker;
class BucketsModel;
class ServerInfoModel;
class TopologyModel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // How long closing the window waits for a request in flight, in milliseconds.
  static constexpr int kCloseWait = 1000;

  explicit MainWindow(QWidget* parent = nullptr);
  // Returns within kCloseWait even while a request hangs.
  ~MainWindow() override;

  // The aliases offered in the connection bar (from load_aliases).
  void set_aliases(std::map<std::string, Connection> aliases);
  // Fills the connection bar and connects; `alias` selects that entry ("" for custom).
  void connect_to(const Connection& connection, const QString& alias = {});
  // Milliseconds between refreshes (default 5000).
  void set_refresh_interval(int milliseconds);
  // Shows an error in the status bar.
  void show_error(const QString& message);

  ServerInfoModel& server_info_model() { return *info_model_; }
  TopologyModel& topology_model() { return *topology_model_; }
  BucketsModel& buckets_model() { return *buckets_model_; }
  QTabWidget& tabs() { return *tabs_; }

 signals:
  // After each refresh (the first after Connect, then one per timer tick): the errors it
  // met (empty when everything answered).
  void refresh_finished(QStringList errors);
  // To the worker (queued).
  void request_connect(maxio::console::Connection connection, quint64 generation);
  void request_refresh();

 private slots:
  void on_connect_clicked();
  void on_alias_chosen(int index);
  void on_refreshed(maxio::console::Snapshot snapshot);
  void on_timer();

 private:
  QWidget* make_connection_bar();

  ServerInfoModel* info_model_;
  TopologyModel* topology_model_;
  BucketsModel* buckets_model_;

  QComboBox* alias_box_ = nullptr;
  QLineEdit* endpoint_ = nullptr;
  QLineEdit* access_key_ = nullptr;
  QLineEdit* secret_key_ = nullptr;
  QPushButton* connect_button_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  QTreeView* topology_view_ = nullptr;
  QTableView* info_view_ = nullptr;
  QTableView* buckets_view_ = nullptr;
  QLabel* heal_label_ = nullptr;
  QLabel* usage_label_ = nullptr;
  QLabel* state_label_ = nullptr;

  std::map<std::string, Connection> aliases_;
  Connection connection_;
  QThread* worker_thread_;  // owned; see ~MainWindow
  AdminWorker* worker_;     // lives on worker_thread_, deleted when it finishes
  QTimer timer_;
  quint64 generation_ = 0;
  bool connected_ = false;
  bool in_flight_ = false;
};

}  // namespace maxio::console
