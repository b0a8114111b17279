#include "gui/core/server_info_model.h"

#include <nlohmann/json.hpp>

#include "gui/core/format.h"

namespace maxio::console {
namespace {

QString text_of(const nlohmann::ordered_json& doc, const char* field) {
  auto it = doc.find(field);
  if (it == doc.end() || it->is_null()) return {};
  if (it->is_string()) return QString::fromStdString(it->get<std::string>());
  return QString::fromStdString(it->dump());
}

int64_t int_of(const nlohmann::ordered_json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

ServerInfoModel::ServerInfoModel(QObject* parent) : QAbstractTableModel(parent) {}

void ServerInfoModel::update(const nlohmann::ordered_json& info) {
  if (!info.is_object()) return;
  std::vector<std::pair<QString, QString>> rows;
  rows.emplace_back("Version", text_of(info, "version"));
  QString uptime;
  if (auto it = info.find("uptime_seconds"); it != info.end() && it->is_number_integer()) {
    uptime = QString::fromStdString(format_duration(it->get<uint64_t>()));
  }
  rows.emplace_back("Uptime", uptime);
  rows.emplace_back("Started", text_of(info, "started"));
  rows.emplace_back("Deployment ID", text_of(info, "deployment_id"));
  rows.emplace_back("Region", text_of(info, "region"));
  QStringList endpoints;
  if (auto it = info.find("endpoints"); it != info.end() && it->is_array()) {
    for (const auto& endpoint : *it) {
      if (endpoint.is_string()) endpoints << QString::fromStdString(endpoint.get<std::string>());
    }
  }
  rows.emplace_back("Endpoints", endpoints.join(", "));
  rows.emplace_back("Pools / sets / drives", QString("%1 / %2 / %3")
                                                 .arg(int_of(info, "pools"))
                                                 .arg(int_of(info, "sets"))
                                                 .arg(int_of(info, "drives")));
  rows.emplace_back("Drives online / offline / healing", QString("%1 / %2 / %3")
                                                             .arg(int_of(info, "drives_online"))
                                                             .arg(int_of(info, "drives_offline"))
                                                             .arg(int_of(info, "drives_healing")));
  QString parity;
  if (auto it = info.find("parity"); it != info.end() && it->is_object()) {
    parity = QString("STANDARD EC:%1, REDUCED_REDUNDANCY EC:%2")
                 .arg(int_of(*it, "standard"))
                 .arg(int_of(*it, "rrs"));
  }
  rows.emplace_back("Parity", parity);

  if (rows.size() != rows_.size()) {
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
    return;
  }
  rows_ = std::move(rows);
  emit dataChanged(index(0, 0), index(static_cast<int>(rows_.size()) - 1, kColumnCount - 1));
}

void ServerInfoModel::clear() {
  beginResetModel();
  rows_.clear();
  endResetModel();
}

QString ServerInfoModel::value(const QString& property) const {
  for (const auto& [name, value] : rows_) {
    if (name == property) return value;
  }
  return {};
}

int ServerInfoModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ServerInfoModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant ServerInfoModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  const auto& row = rows_[static_cast<size_t>(index.row())];
  return index.column() == kProperty ? row.first : row.second;
}

QVariant ServerInfoModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  return section == kProperty ? QString("Property") : QString("Value");
}

}  // namespace maxio::console
