#include "gui/widgets/main_window.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include "gui/core/admin_worker.h"
#include "gui/core/buckets_model.h"
#include "gui/core/format.h"
#include "gui/core/server_info_model.h"
#include "gui/core/topology_model.h"

namespace maxio::console {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      info_model_(new ServerInfoModel(this)),
      topology_model_(new TopologyModel(this)),
      buckets_model_(new BucketsModel(this)),
      worker_thread_(new QThread),
      worker_(new AdminWorker) {
  AdminWorker::register_types();
  setWindowTitle("Maxio console");

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->addWidget(make_connection_bar());

  tabs_ = new QTabWidget(central);
  // Overview
  info_view_ = new QTableView(tabs_);
  info_view_->setModel(info_model_);
  info_view_->verticalHeader()->hide();
  info_view_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  info_view_->horizontalHeader()->setStretchLastSection(true);
  info_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  info_view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  tabs_->addTab(info_view_, "Overview");
  // Topology
  auto* topology_page = new QWidget(tabs_);
  auto* topology_layout = new QVBoxLayout(topology_page);
  heal_label_ = new QLabel(topology_page);
  heal_label_->setWordWrap(true);
  topology_view_ = new QTreeView(topology_page);
  topology_view_->setModel(topology_model_);
  topology_view_->setAlternatingRowColors(true);
  topology_view_->setUniformRowHeights(true);
  topology_layout->addWidget(heal_label_);
  topology_layout->addWidget(topology_view_);
  connect(topology_model_, &QAbstractItemModel::modelReset, topology_view_, [this] {
    topology_view_->expandAll();
    for (int column = 0; column < TopologyModel::kColumnCount; ++column) {
      topology_view_->resizeColumnToContents(column);
    }
  });
  tabs_->addTab(topology_page, "Topology");
  // Buckets
  auto* buckets_page = new QWidget(tabs_);
  auto* buckets_layout = new QVBoxLayout(buckets_page);
  usage_label_ = new QLabel(buckets_page);
  auto* sorted = new QSortFilterProxyModel(buckets_page);
  sorted->setSourceModel(buckets_model_);
  sorted->setSortRole(BucketsModel::kSortRole);
  buckets_view_ = new QTableView(buckets_page);
  buckets_view_->setModel(sorted);
  buckets_view_->setSortingEnabled(true);
  buckets_view_->sortByColumn(BucketsModel::kName, Qt::AscendingOrder);
  buckets_view_->verticalHeader()->hide();
  buckets_view_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  buckets_view_->horizontalHeader()->setStretchLastSection(true);
  buckets_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  buckets_view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  buckets_layout->addWidget(usage_label_);
  buckets_layout->addWidget(buckets_view_);
  tabs_->addTab(buckets_page, "Buckets");
  layout->addWidget(tabs_);
  setCentralWidget(central);

  state_label_ = new QLabel("Not connected", this);
  statusBar()->addPermanentWidget(state_label_);
  statusBar()->showMessage("Pick an alias, or type an endpoint and keys, then Connect");

  // The worker and its clients live on their own thread.
  worker_->moveToThread(worker_thread_);
  connect(worker_thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(this, &MainWindow::request_connect, worker_, &AdminWorker::connect_to);
  connect(this, &MainWindow::request_refresh, worker_, &AdminWorker::refresh);
  connect(worker_, &AdminWorker::refreshed, this, &MainWindow::on_refreshed);
  worker_thread_->setObjectName("admin-worker");
  worker_thread_->start();

  timer_.setInterval(5000);
  connect(&timer_, &QTimer::timeout, this, &MainWindow::on_timer);
  resize(1100, 700);
}

MainWindow::~MainWindow() {
  timer_.stop();
  worker_thread_->quit();
  // The worker finishes the request in flight first. A stalled server would hold the
  // window for up to the clients' I/O timeout (10 s): after a short wait the thread is
  // left to end on its own (it touches nothing of this window; its results go nowhere)
  // or with the process.
  if (worker_thread_->wait(kCloseWait)) {
    delete worker_thread_;
  } else {
    connect(worker_thread_, &QThread::finished, worker_thread_, &QObject::deleteLater);
  }
}

QWidget* MainWindow::make_connection_bar() {
  auto* bar = new QWidget(this);
  auto* layout = new QHBoxLayout(bar);
  layout->setContentsMargins(0, 0, 0, 0);
  alias_box_ = new QComboBox(bar);
  alias_box_->addItem("(custom)");
  alias_box_->setToolTip("An alias of maxioctl's configuration (~/.config/maxio/config.json)");
  endpoint_ = new QLineEdit(bar);
  endpoint_->setPlaceholderText("http://127.0.0.1:9000");
  endpoint_->setMinimumWidth(220);
  access_key_ = new QLineEdit(bar);
  access_key_->setPlaceholderText("access key");
  secret_key_ = new QLineEdit(bar);
  secret_key_->setPlaceholderText("secret key");
  secret_key_->setEchoMode(QLineEdit::Password);
  connect_button_ = new QPushButton("Connect", bar);
  connect_button_->setDefault(true);
  layout->addWidget(new QLabel("Alias:", bar));
  layout->addWidget(alias_box_);
  layout->addWidget(new QLabel("Endpoint:", bar));
  layout->addWidget(endpoint_, 2);
  layout->addWidget(access_key_, 1);
  layout->addWidget(secret_key_, 1);
  layout->addWidget(connect_button_);
  connect(connect_button_, &QPushButton::clicked, this, &MainWindow::on_connect_clicked);
  connect(secret_key_, &QLineEdit::returnPressed, this, &MainWindow::on_connect_clicked);
  connect(alias_box_, &QComboBox::activated, this, &MainWindow::on_alias_chosen);
  return bar;
}

void MainWindow::set_aliases(std::map<std::string, Connection> aliases) {
  aliases_ = std::move(aliases);
  while (alias_box_->count() > 1) alias_box_->removeItem(1);
  for (const auto& [name, connection] : aliases_) {
    alias_box_->addItem(QString::fromStdString(name));
  }
}

void MainWindow::on_alias_chosen(int index) {
  if (index <= 0) {  // (custom): the fields as typed, the default region
    connection_.region = "us-east-1";
    return;
  }
  auto it = aliases_.find(alias_box_->itemText(index).toStdString());
  if (it == aliases_.end()) return;
  endpoint_->setText(QString::fromStdString(it->second.endpoint));
  access_key_->setText(QString::fromStdString(it->second.access_key));
  secret_key_->setText(QString::fromStdString(it->second.secret_key));
  connection_.region = it->second.region;
  on_connect_clicked();
}

void MainWindow::connect_to(const Connection& connection, const QString& alias) {
  int position = alias.isEmpty() ? 0 : alias_box_->findText(alias);
  alias_box_->setCurrentIndex(position < 0 ? 0 : position);
  endpoint_->setText(QString::fromStdString(connection.endpoint));
  access_key_->setText(QString::fromStdString(connection.access_key));
  secret_key_->setText(QString::fromStdString(connection.secret_key));
  connection_.region = connection.region;
  on_connect_clicked();
}

void MainWindow::set_refresh_interval(int milliseconds) { timer_.setInterval(milliseconds); }

void MainWindow::show_error(const QString& message) {
  statusBar()->setStyleSheet("color: #b71c1c;");
  statusBar()->showMessage(message);
  statusBar()->setToolTip(message);
}

void MainWindow::on_connect_clicked() {
  connection_.endpoint = endpoint_->text().trimmed().toStdString();
  connection_.access_key = access_key_->text().trimmed().toStdString();
  connection_.secret_key = secret_key_->text().toStdString();
  if (connection_.region.empty()) connection_.region = "us-east-1";
  ++generation_;
  connected_ = true;
  in_flight_ = true;
  info_model_->clear();
  topology_model_->clear();
  buckets_model_->clear();
  heal_label_->clear();
  usage_label_->clear();
  state_label_->setText("Connecting to " + endpoint_->text().trimmed() + "...");
  setWindowTitle("Maxio console - " + endpoint_->text().trimmed());
  emit request_connect(connection_, generation_);
  timer_.start();  // the next refresh one interval after this connection's first
}

void MainWindow::on_timer() {
  if (!connected_ || in_flight_) return;
  in_flight_ = true;
  emit request_refresh();
}

void MainWindow::on_refreshed(Snapshot snapshot) {
  if (snapshot.generation != generation_) return;  // from before the last Connect
  in_flight_ = false;
  if (snapshot.info) info_model_->update(*snapshot.info);
  if (snapshot.topology) topology_model_->update(*snapshot.topology);
  if (snapshot.heal) {
    heal_label_->setText("Background healing since start-up - " +
                         QString::fromStdString(format_heal_summary(*snapshot.heal)));
  }
  if (snapshot.buckets) {
    buckets_model_->update(*snapshot.buckets,
                           snapshot.usage ? *snapshot.usage : nlohmann::ordered_json());
    usage_label_->setText(
        QString("%1 buckets, %2 objects, %3. %4")
            .arg(buckets_model_->rowCount())
            .arg(buckets_model_->total_objects())
            .arg(QString::fromStdString(format_bytes(buckets_model_->total_bytes())))
            .arg(buckets_model_->usage_note()));
    buckets_view_->resizeColumnsToContents();
  }
  info_view_->resizeColumnToContents(ServerInfoModel::kProperty);

  QStringList errors;
  for (const std::string& error : snapshot.errors) errors << QString::fromStdString(error);
  const QString now = QDateTime::currentDateTime().toString("HH:mm:ss");
  if (errors.isEmpty()) {
    statusBar()->setStyleSheet({});
    statusBar()->setToolTip({});
    statusBar()->showMessage("Refreshed at " + now);
    state_label_->setText("Connected to " + QString::fromStdString(connection_.endpoint));
  } else {
    show_error(now + "  " + errors.join("; "));
    state_label_->setText(snapshot.info ? "Connected, with errors" : "Refresh failed");
  }
  emit refresh_finished(errors);
}

}  // namespace maxio::console
