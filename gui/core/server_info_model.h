#pragma once
// ServerInfoModel: the Overview tab's table, "property | value" rows made from the admin
// API's GET /info document (version, uptime, deployment ID, region, endpoints, drive
// counts, parity). Rows keep their order across updates, so a view keeps its selection.
// GUI-thread only, like every Qt model; update() does no I/O.

#include <QAbstractTableModel>
#include <QString>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace maxio::console {

class ServerInfoModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kProperty = 0, kValue = 1, kColumnCount = 2 };

  explicit ServerInfoModel(QObject* parent = nullptr);

  // Replaces the values with those of an /info document. Fields missing from it show "".
  void update(const nlohmann::ordered_json& info);
  // Empties the table (a new connection).
  void clear();

  // The value shown for `property` ("Version", "Uptime", ...); "" when there is no such row.
  QString value(const QString& property) const;

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<std::pair<QString, QString>> rows_;
};

}  // namespace maxio::console
