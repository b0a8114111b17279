#include "gui/core/buckets_model.h"

#include <map>
#include <nlohmann/json.hpp>

#include "gui/core/format.h"

namespace maxio::console {

BucketsModel::BucketsModel(QObject* parent) : QAbstractTableModel(parent) {}

void BucketsModel::update(const std::vector<ListedBucket>& buckets,
                          const nlohmann::ordered_json& usage) {
  struct Counts {
    uint64_t objects = 0, bytes = 0;
  };
  std::map<std::string, Counts> counted;
  usage_note_ = "No scan finished yet: object counts appear after the first scanner cycle";
  if (usage.is_object()) {
    if (auto it = usage.find("updated"); it != usage.end() && it->is_string()) {
      usage_note_ =
          "Counts from the scan finished at " + QString::fromStdString(it->get<std::string>());
    }
    if (auto list = usage.find("buckets"); list != usage.end() && list->is_array()) {
      for (const auto& entry : *list) {
        if (!entry.is_object() || !entry.contains("bucket") || !entry["bucket"].is_string()) {
          continue;
        }
        Counts counts;
        if (entry.contains("objects") && entry["objects"].is_number_unsigned()) {
          counts.objects = entry["objects"].get<uint64_t>();
        }
        if (entry.contains("bytes") && entry["bytes"].is_number_unsigned()) {
          counts.bytes = entry["bytes"].get<uint64_t>();
        }
        counted[entry["bucket"].get<std::string>()] = counts;
      }
    }
  }
  std::vector<Row> rows;
  for (const ListedBucket& bucket : buckets) {
    Row row{QString::fromStdString(bucket.name), QString::fromStdString(bucket.created), {}, {}};
    if (auto it = counted.find(bucket.name); it != counted.end()) {
      row.objects = it->second.objects;
      row.bytes = it->second.bytes;
    }
    rows.push_back(std::move(row));
  }

  bool same_names = rows.size() == rows_.size();
  for (size_t i = 0; same_names && i < rows.size(); ++i) {
    same_names = rows[i].name == rows_[i].name;
  }
  if (!same_names) {
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
    return;
  }
  rows_ = std::move(rows);
  if (!rows_.empty()) {
    emit dataChanged(index(0, 0), index(static_cast<int>(rows_.size()) - 1, kColumnCount - 1));
  }
}

void BucketsModel::clear() {
  beginResetModel();
  rows_.clear();
  usage_note_.clear();
  endResetModel();
}

uint64_t BucketsModel::total_objects() const {
  uint64_t sum = 0;
  for (const Row& row : rows_) sum += row.objects.value_or(0);
  return sum;
}

uint64_t BucketsModel::total_bytes() const {
  uint64_t sum = 0;
  for (const Row& row : rows_) sum += row.bytes.value_or(0);
  return sum;
}

int BucketsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int BucketsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant BucketsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
  const Row& row = rows_[static_cast<size_t>(index.row())];
  const int column = index.column();
  if (role == kSortRole) {
    if (column == kObjects) return row.objects ? static_cast<qlonglong>(*row.objects) : -1;
    if (column == kSize) return row.bytes ? static_cast<qlonglong>(*row.bytes) : -1;
    return column == kName ? row.name : row.created;
  }
  if (role == Qt::TextAlignmentRole && (column == kObjects || column == kSize)) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == Qt::ToolTipRole && column == kSize && row.bytes) {
    return QString("%1 bytes").arg(*row.bytes);
  }
  if (role != Qt::DisplayRole) return {};
  switch (column) {
    case kName:
      return row.name;
    case kObjects:
      return row.objects ? QString::number(*row.objects) : QString("-");
    case kSize:
      return row.bytes ? QString::fromStdString(format_bytes(*row.bytes)) : QString("-");
    case kCreated:
      return row.created;
    default:
      return {};
  }
}

QVariant BucketsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* const kHeaders[] = {"Bucket", "Objects", "Size", "Created"};
  if (section < 0 || section >= kColumnCount) return {};
  return QString(kHeaders[section]);
}

}  // namespace maxio::console
