#pragma once
// BucketsModel: the Buckets tab's table, one row per bucket: name, objects and bytes from
// the admin API's GET /datausage (the scanner's last cycle), and creation date from S3
// ListBuckets. A bucket listed by S3 but not yet scanned shows "-" for its counts; one the
// scan counted but S3 no longer lists is left out. An update with the same bucket names
// changes values in place (dataChanged); otherwise the model resets. GUI-thread only.

#include <QAbstractTableModel>
#include <QString>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace maxio::console {

// One bucket of S3 ListBuckets.
struct ListedBucket {
  std::string name;
  std::string created;  // ISO 8601
};

class BucketsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kName = 0, kObjects, kSize, kCreated, kColumnCount };
  // data(index, kSortRole): numbers for kObjects / kSize (-1 when unknown), text otherwise.
  static constexpr int kSortRole = Qt::UserRole + 1;

  explicit BucketsModel(QObject* parent = nullptr);

  // `buckets` from ListBuckets; `usage` a /datausage document (null: no usage known).
  void update(const std::vector<ListedBucket>& buckets, const nlohmann::ordered_json& usage);
  void clear();

  // "Last scan: <time>" or "No scan finished yet": when the counts were taken.
  QString usage_note() const { return usage_note_; }
  // Sums over the rows with known counts.
  uint64_t total_objects() const;
  uint64_t total_bytes() const;

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    QString name;
    QString created;
    std::optional<uint64_t> objects;
    std::optional<uint64_t> bytes;
  };
  std::vector<Row> rows_;
  QString usage_note_;
};

}  // namespace maxio::console
