#pragma once
// The Prometheus text exposition format (version 0.0.4): a MetricSet collects families
// (HELP, TYPE counter/gauge/histogram) and their samples, then renders them sorted by family
// name and label set, so the same values always give the same text. A value type: build one
// per scrape on one thread.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxio::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

// Label name/value pairs; a sample's labels are rendered sorted by name.
using Labels = std::vector<std::pair<std::string, std::string>>;

// One histogram's state: per-bucket (not cumulative) counts for each upper bound in
// `bounds` (ascending, finite) plus one last count above every bound, and the sum of every
// observed value. counts.size() == bounds.size() + 1.
struct Histogram {
  std::vector<double> bounds;
  std::vector<uint64_t> counts;
  double sum = 0;

  // An empty histogram over `bounds` (ascending, finite).
  static Histogram with_bounds(std::vector<double> bounds);
  // Counts one observation in the first bucket whose bound is >= value.
  void observe(double value);
  uint64_t count() const;
};

class MetricFamily {
 public:
  MetricFamily(std::string name, MetricType type, std::string help)
      : name_(std::move(name)), type_(type), help_(std::move(help)) {}

  const std::string& name() const { return name_; }
  MetricType type() const { return type_; }

  // Sets the counter or gauge sample with `labels` (replacing one with the same labels).
  // Label names must be valid (see is_valid_label_name) and not repeat.
  void set(Labels labels, double value);
  // Sets the histogram sample with `labels`; rendered as cumulative _bucket{le=...} lines
  // ending with le="+Inf", then _sum and _count. Labels must not include "le".
  void set_histogram(Labels labels, Histogram histogram);

  // Appends "# HELP", "# TYPE" and the sample lines to `out`.
  void render(std::string& out) const;

 private:
  std::string name_;
  MetricType type_;
  std::string help_;
  std::map<Labels, double> values_;         // counters and gauges, keyed by sorted labels
  std::map<Labels, Histogram> histograms_;  // histograms, keyed by sorted labels
};

class MetricSet {
 public:
  // The family `name`, created on first use. Asking again for the same name returns the
  // same family; its type and help must then be the same (a programming error otherwise).
  // `name` must be a valid metric name (see is_valid_metric_name).
  MetricFamily& family(const std::string& name, MetricType type, std::string help);

  // The whole exposition: families sorted by name, each with HELP and TYPE, samples sorted
  // by label set; families without samples are left out. Ends with a newline (or is empty).
  std::string render() const;

 private:
  std::map<std::string, MetricFamily> families_;
};

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved by Prometheus).
bool is_valid_label_name(std::string_view name);

// A label value escaped for the text format: backslash, double quote and newline become
// \\, \" and \n. Any other byte passes through.
std::string escape_label_value(std::string_view value);
// HELP text escaped for the text format: backslash and newline become \\ and \n.
std::string escape_help(std::string_view help);
// A sample value or bound as Prometheus writes it: integers without a fraction, other
// numbers in the shortest form that reads back exactly, "+Inf", "-Inf", "NaN".
std::string format_value(double value);

}  // namespace maxio::metrics
