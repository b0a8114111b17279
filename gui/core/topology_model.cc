#include "gui/core/topology_model.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "gui/core/format.h"

namespace maxio::console {

struct TopologyModel::Node {
  enum class Kind { kRoot, kPool, kSet, kDrive };
  Kind kind = Kind::kRoot;
  Node* parent = nullptr;
  int row = 0;
  std::vector<std::unique_ptr<Node>> children;

  QString name;
  QString state;    // see kStateRole
  QString details;  // drive: UUID or offline reason; pool: drives per set
  uint64_t used = 0, free = 0, total = 0, healed = 0;
  int drives = 0, online = 0;

  Node* add(Kind child_kind) {
    auto child = std::make_unique<Node>();
    child->kind = child_kind;
    child->parent = this;
    child->row = static_cast<int>(children.size());
    children.push_back(std::move(child));
    return children.back().get();
  }

  bool same_shape(const Node& other) const {
    if (children.size() != other.children.size()) return false;
    for (size_t i = 0; i < children.size(); ++i) {
      if (!children[i]->same_shape(*other.children[i])) return false;
    }
    return true;
  }

  // Copies every value (not the structure) from a node of the same shape.
  void take_values(Node& other) {
    name = std::move(other.name);
    state = std::move(other.state);
    details = std::move(other.details);
    used = other.used, free = other.free, total = other.total, healed = other.healed;
    drives = other.drives, online = other.online;
    for (size_t i = 0; i < children.size(); ++i) children[i]->take_values(*other.children[i]);
  }

  // Pools and sets: sums and state over their children.
  void sum_children() {
    if (kind == Kind::kDrive) return;
    for (auto& child : children) {
      child->sum_children();
      used += child->used, free += child->free, total += child->total, healed += child->healed;
      drives += child->drives, online += child->online;
    }
    const int healing = count_state("healing");
    if (drives > 0 && online == 0 && healing == 0) {
      state = "offline";
    } else if (online + healing < drives) {
      state = "degraded";
    } else if (healing > 0) {
      state = "healing";
    } else {
      state = "online";
    }
  }

  int count_state(const QString& wanted) const {
    if (kind == Kind::kDrive) return state == wanted ? 1 : 0;
    int n = 0;
    for (const auto& child : children) n += child->count_state(wanted);
    return n;
  }
};

namespace {

// A count or size of the document; 0 when absent, negative or not a number.
uint64_t u64(const nlohmann::ordered_json& doc, const char* field) {
  auto it = doc.find(field);
  if (it == doc.end()) return 0;
  if (it->is_number_unsigned()) return it->get<uint64_t>();
  if (it->is_number_integer())
    return static_cast<uint64_t>(std::max<int64_t>(0, it->get<int64_t>()));
  return 0;
}

QString str(const nlohmann::ordered_json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

const nlohmann::ordered_json* array_of(const nlohmann::ordered_json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_array() ? &*it : nullptr;
}

}  // namespace

TopologyModel::TopologyModel(QObject* parent)
    : QAbstractItemModel(parent), root_(std::make_unique<Node>()) {}

TopologyModel::~TopologyModel() = default;

void TopologyModel::update(const nlohmann::ordered_json& topology) {
  if (!topology.is_object()) return;
  const auto* pools = array_of(topology, "pools");
  if (!pools) return;
  auto root = std::make_unique<Node>();
  int pool_position = 0;
  for (const auto& pool_doc : *pools) {
    Node* pool = root->add(Node::Kind::kPool);
    auto pool_index = pool_doc.contains("index") ? u64(pool_doc, "index") : pool_position;
    ++pool_position;
    pool->name = QString("Pool %1").arg(pool_index);
    pool->details = QString("%1 drives per set").arg(u64(pool_doc, "drives_per_set"));
    const auto* sets = array_of(pool_doc, "sets");
    if (!sets) continue;
    int set_position = 0;
    for (const auto& set_doc : *sets) {
      Node* set = pool->add(Node::Kind::kSet);
      auto set_index = set_doc.contains("index") ? u64(set_doc, "index") : set_position;
      ++set_position;
      set->name = QString("Set %1").arg(set_index);
      const auto* drives = array_of(set_doc, "drives");
      if (!drives) continue;
      for (const auto& drive_doc : *drives) {
        Node* drive = set->add(Node::Kind::kDrive);
        drive->name = str(drive_doc, "endpoint");
        drive->state = str(drive_doc, "state");
        drive->used = u64(drive_doc, "used_bytes");
        drive->free = u64(drive_doc, "free_bytes");
        drive->total = u64(drive_doc, "total_bytes");
        drive->healed = u64(drive_doc, "healed_shards");
        drive->drives = 1;
        drive->online = drive->state == "online" ? 1 : 0;
        QString reason = str(drive_doc, "reason");
        drive->details = reason.isEmpty() ? str(drive_doc, "uuid") : reason;
      }
    }
  }
  root->sum_children();

  if (root->same_shape(*root_)) {
    root_->take_values(*root);
    emit_changed(*root_, QModelIndex());
  } else {
    beginResetModel();
    root_ = std::move(root);
    endResetModel();
  }
}

void TopologyModel::emit_changed(const Node& parent, const QModelIndex& parent_index) {
  if (parent.children.empty()) return;
  int last = static_cast<int>(parent.children.size()) - 1;
  emit dataChanged(index(0, 0, parent_index), index(last, kColumnCount - 1, parent_index));
  for (const auto& child : parent.children) {
    emit_changed(*child, index(child->row, 0, parent_index));
  }
}

void TopologyModel::clear() {
  beginResetModel();
  root_ = std::make_unique<Node>();
  endResetModel();
}

int TopologyModel::drive_count() const { return root_->drives; }

int TopologyModel::drives_in_state(const QString& state) const { return root_->count_state(state); }

QColor TopologyModel::state_colour(const QString& state) {
  if (state == "online") return QColor(0xc8, 0xe6, 0xc9);
  if (state == "healing") return QColor(0xff, 0xec, 0xb3);
  if (state == "degraded") return QColor(0xff, 0xcc, 0x80);
  if (state == "offline") return QColor(0xef, 0x9a, 0x9a);
  return {};
}

const TopologyModel::Node* TopologyModel::node(const QModelIndex& index) const {
  return index.isValid() ? static_cast<const Node*>(index.internalPointer()) : root_.get();
}

QModelIndex TopologyModel::index(int row, int column, const QModelIndex& parent) const {
  if (column < 0 || column >= kColumnCount || row < 0) return {};
  if (parent.isValid() && parent.column() != 0) return {};
  const Node* p = node(parent);
  if (row >= static_cast<int>(p->children.size())) return {};
  return createIndex(row, column, p->children[static_cast<size_t>(row)].get());
}

QModelIndex TopologyModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const Node* p = node(child)->parent;
  if (p == nullptr || p == root_.get()) return {};
  return createIndex(p->row, 0, const_cast<Node*>(p));
}

int TopologyModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() && parent.column() != 0) return 0;
  return static_cast<int>(node(parent)->children.size());
}

int TopologyModel::columnCount(const QModelIndex&) const { return kColumnCount; }

QVariant TopologyModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node& n = *node(index);
  const bool drive = n.kind == Node::Kind::kDrive;
  const int column = index.column();
  if (role == kStateRole) return n.state;
  if (role == kBytesRole) {
    if (column == kUsed) return QVariant::fromValue<qulonglong>(n.used);
    if (column == kFree) return QVariant::fromValue<qulonglong>(n.free);
    if (column == kTotal) return QVariant::fromValue<qulonglong>(n.total);
    return {};
  }
  if (role == Qt::BackgroundRole && column == kState) return state_colour(n.state);
  if (role == Qt::ForegroundRole && column == kState && state_colour(n.state).isValid()) {
    return QColor(Qt::black);
  }
  if (role == Qt::DecorationRole && column == kName) return state_colour(n.state);
  if (role == Qt::TextAlignmentRole && column >= kUsed && column <= kHealed) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (column) {
    case kName:
      return n.name;
    case kState:
      return drive ? n.state : QString("%1 (%2/%3)").arg(n.state).arg(n.online).arg(n.drives);
    case kUsed:
      return QString::fromStdString(format_bytes(n.used));
    case kFree:
      return QString::fromStdString(format_bytes(n.free));
    case kTotal:
      return QString::fromStdString(format_bytes(n.total));
    case kHealed:
      return QString::number(n.healed);
    case kDetails:
      return n.details;
    default:
      return {};
  }
}

QVariant TopologyModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* const kHeaders[] = {"Name",  "State",         "Used",   "Free",
                                         "Total", "Healed shards", "Details"};
  if (section < 0 || section >= kColumnCount) return {};
  return QString(kHeaders[section]);
}

}  // namespace maxio::console
