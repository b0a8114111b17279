#pragma once
// TopologyModel: the Topology tab's tree, pools -> erasure sets -> drives, made from the
// admin API's GET /topology document. Each drive row shows its state (online, offline,
// healing; colour-coded), the used / free / total bytes of its file system, the shards
// healed onto it and its UUID or, when offline, the reason. Pool and set rows sum their
// drives and show how many are online. An update with the same shape (pools, sets, drives
// per set) changes values in place (dataChanged), so a view keeps expansion and selection;
// another shape resets the model. GUI-thread only; update() does no I/O.

#include <QAbstractItemModel>
#include <QColor>
#include <QString>
#include <memory>

#include <nlohmann/json_fwd.hpp>

namespace maxio::console {

class TopologyModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { kName = 0, kState, kUsed, kFree, kTotal, kHealed, kDetails, kColumnCount };
  // data(index, kStateRole): "online", "offline" or "healing" for a drive; for a pool or
  // set also "degraded" (some drives offline) or "offline" (all).
  static constexpr int kStateRole = Qt::UserRole + 1;
  // data(index, kBytesRole) on the byte columns: the number, for sorting and tests.
  static constexpr int kBytesRole = Qt::UserRole + 2;

  explicit TopologyModel(QObject* parent = nullptr);
  ~TopologyModel() override;

  // Replaces the tree with a /topology document; kept as is when it has no "pools" array.
  void update(const nlohmann::ordered_json& topology);
  void clear();

  int drive_count() const;
  int drives_in_state(const QString& state) const;

  // The colour of a state's cell (online green, healing amber, degraded orange, offline
  // red); invalid for anything else.
  static QColor state_colour(const QString& state);

  QModelIndex index(int row, int column, const QModelIndex& parent = QModelIndex()) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  struct Node;  // defined in topology_model.cc

 private:
  const Node* node(const QModelIndex& index) const;
  void emit_changed(const Node& parent, const QModelIndex& parent_index);

  std::unique_ptr<Node> root_;
};

}  // namespace maxio::console
