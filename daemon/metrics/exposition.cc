// The Prometheus text exposition format.

#include "daemon/metrics/exposition.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>

namespace maxio::metrics {

namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// Labels in canonical order (by name), checked.
Labels canonical(Labels labels) {
  std::sort(labels.begin(), labels.end());
  for (size_t i = 0; i < labels.size(); ++i) {
    // Label names come from code, never from a request: a bad one is a programming error.
    assert(is_valid_label_name(labels[i].first));
    assert(i == 0 || labels[i].first != labels[i - 1].first);
  }
  return labels;
}

// `name{a="x",b="y"} value\n`, with `extra` (le) after the sorted labels.
void write_sample(std::string& out, std::string_view name, const Labels& labels,
                  const std::pair<std::string_view, std::string>* extra, double value) {
  out += name;
  if (!labels.empty() || extra != nullptr) {
    out += '{';
    bool first = true;
    auto write_label = [&](std::string_view label, std::string_view label_value) {
      if (!first) out += ',';
      first = false;
      out += label;
      out += "=\"";
      out += escape_label_value(label_value);
      out += '"';
    };
    for (const auto& [label, label_value] : labels) write_label(label, label_value);
    if (extra != nullptr) write_label(extra->first, extra->second);
    out += '}';
  }
  out += ' ';
  out += format_value(value);
  out += '\n';
}

}  // namespace

Histogram Histogram::with_bounds(std::vector<double> bounds) {
  assert(std::is_sorted(bounds.begin(), bounds.end()));
  Histogram histogram;
  histogram.counts.assign(bounds.size() + 1, 0);
  histogram.bounds = std::move(bounds);
  return histogram;
}

void Histogram::observe(double value) {
  size_t i = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++counts[i];
  sum += value;
}

uint64_t Histogram::count() const {
  uint64_t total = 0;
  for (uint64_t c : counts) total += c;
  return total;
}

void MetricFamily::set(Labels labels, double value) {
  assert(type_ != MetricType::kHistogram);
  values_[canonical(std::move(labels))] = value;
}

void MetricFamily::set_histogram(Labels labels, Histogram histogram) {
  assert(type_ == MetricType::kHistogram);
  assert(histogram.counts.size() == histogram.bounds.size() + 1);
  Labels sorted = canonical(std::move(labels));
  assert(std::none_of(sorted.begin(), sorted.end(), [](const auto& l) { return l.first == "le"; }));
  histograms_[std::move(sorted)] = std::move(histogram);
}

void MetricFamily::render(std::string& out) const {
  if (values_.empty() && histograms_.empty()) return;
  out += "# HELP ";
  out += name_;
  out += ' ';
  out += escape_help(help_);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += type_name(type_);
  out += '\n';
  for (const auto& [labels, value] : values_) write_sample(out, name_, labels, nullptr, value);
  const std::string bucket_name = name_ + "_bucket";
  for (const auto& [labels, histogram] : histograms_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < histogram.bounds.size(); ++i) {
      cumulative += histogram.counts[i];
      std::pair<std::string_view, std::string> le{"le", format_value(histogram.bounds[i])};
      write_sample(out, bucket_name, labels, &le, static_cast<double>(cumulative));
    }
    cumulative += histogram.counts.back();
    std::pair<std::string_view, std::string> inf{"le", "+Inf"};
    write_sample(out, bucket_name, labels, &inf, static_cast<double>(cumulative));
    write_sample(out, name_ + "_sum", labels, nullptr, histogram.sum);
    write_sample(out, name_ + "_count", labels, nullptr, static_cast<double>(cumulative));
  }
}

MetricFamily& MetricSet::family(const std::string& name, MetricType type, std::string help) {
  assert(is_valid_metric_name(name));
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(name, MetricFamily(name, type, std::move(help))).first;
  }
  // Two families of one name would render as one with mixed types.
  assert(it->second.type() == type);
  return it->second;
}

std::string MetricSet::render() const {
  std::string out;
  for (const auto& [name, family] : families_) family.render(out);
  return out;
}

bool is_valid_metric_name(std::string_view name) {
  if (name.empty() || !(name_start(name[0]) || name[0] == ':')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return name_char(c) || c == ':'; });
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty() || !name_start(name[0]) || name.starts_with("__")) return false;
  return std::all_of(name.begin(), name.end(), name_char);
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  // Whole numbers up to 2^53 are exact in a double: print them as integers ("1000000"
  // rather than the shortest form "1e+06").
  if (value == std::trunc(value) && std::fabs(value) <= 9007199254740992.0) {
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<int64_t>(value));
    return std::string(buffer, end);
  }
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

}  // namespace maxio::metrics
