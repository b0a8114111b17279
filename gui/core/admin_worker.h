#pragma once
// AdminWorker: runs the console's blocking calls (shared/'s AdminClient and S3Client) on a
// thread of its own, so the GUI never waits on the network. Move it to a QThread and talk
// to it only through queued signals and slots: connect_to() makes the clients, refresh()
// fetches info, topology, data usage, heal status and the bucket list and emits
// refreshed() with the result. Slots run one at a time on the worker's thread; the
// clients live and die there.

#include <QObject>
#include <memory>

#include "gui/core/aliases.h"
#include "gui/core/snapshot.h"

namespace maxio::admin {
class AdminClient;
}
namespace maxio::s3client {
class S3Client;
}

namespace maxio::console {

class AdminWorker : public QObject {
  Q_OBJECT

 public:
  explicit AdminWorker(QObject* parent = nullptr);
  ~AdminWorker() override;

  // Registers Connection and Snapshot for queued signals; call once before connecting.
  static void register_types();

 public slots:
  // Replaces the clients. A malformed endpoint or missing keys end in a refreshed() whose
  // snapshot carries the error; later refreshes report "not connected" until the next
  // connect_to. `generation` tags every snapshot until then.
  void connect_to(maxio::console::Connection connection, quint64 generation);
  // One round of requests; emits refreshed() once, whatever failed. When the server
  // cannot be reached, the remaining requests are skipped.
  void refresh();

 signals:
  void refreshed(maxio::console::Snapshot snapshot);

 private:
  std::unique_ptr<admin::AdminClient> admin_;
  std::unique_ptr<s3client::S3Client> s3_;
  std::string connect_error_;
  quint64 generation_ = 0;
};

}  // namespace maxio::console

Q_DECLARE_METATYPE(maxio::console::Connection)
Q_DECLARE_METATYPE(maxio::console::Snapshot)
