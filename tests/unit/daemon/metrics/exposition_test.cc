// The text exposition format: escaping, value formatting, sorted output, histograms.

#include "daemon/metrics/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace maxio::metrics {
namespace {

TEST(ExpositionTest, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value("plain/path-1"), "plain/path-1");
  EXPECT_EQ(escape_label_value(R"(a\b)"), R"(a\\b)");
  EXPECT_EQ(escape_label_value(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(escape_label_value("two\nlines"), R"(two\nlines)");
  EXPECT_EQ(escape_label_value("\\\"\n"), R"(\\\"\n)");
  // Other bytes pass through untouched (UTF-8, tabs, braces, commas).
  EXPECT_EQ(escape_label_value("caf\xc3\xa9\t{a=b},"), "caf\xc3\xa9\t{a=b},");
}

TEST(ExpositionTest, EscapesHelp) {
  EXPECT_EQ(escape_help(R"(a\b "quoted")"), R"(a\\b "quoted")");
  EXPECT_EQ(escape_help("line\nbreak"), R"(line\nbreak)");
}

TEST(ExpositionTest, LabelValuesAreEscapedInSamples) {
  MetricSet set;
  set.family("m", MetricType::kGauge, "help \\ with\nnewline")
      .set({{"drive", "/mnt/\"odd\"\\dir\n"}}, 1);
  EXPECT_EQ(set.render(),
            "# HELP m help \\\\ with\\nnewline\n"
            "# TYPE m gauge\n"
            "m{drive=\"/mnt/\\\"odd\\\"\\\\dir\\n\"} 1\n");
}

TEST(ExpositionTest, FormatsValues) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(-0.0), "0");
  EXPECT_EQ(format_value(42), "42");
  EXPECT_EQ(format_value(-7), "-7");
  EXPECT_EQ(format_value(1000000), "1000000");
  EXPECT_EQ(format_value(1099511627776.0), "1099511627776");  // 1 TiB, no exponent
  EXPECT_EQ(format_value(0.5), "0.5");
  EXPECT_EQ(format_value(0.001), "0.001");
  EXPECT_EQ(format_value(2.5), "2.5");
  EXPECT_EQ(format_value(1e20), "1e+20");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
  // Shortest form that reads back exactly.
  EXPECT_EQ(std::stod(format_value(0.1 + 0.2)), 0.1 + 0.2);
}

TEST(ExpositionTest, OutputIsSortedAndStable) {
  auto build = [](bool reversed) {
    MetricSet set;
    auto add_b = [&] {
      auto& b = set.family("b_total", MetricType::kCounter, "B");
      b.set({{"z", "1"}, {"a", "2"}}, 3);  // labels sorted by name in the output
      b.set({{"a", "1"}, {"z", "9"}}, 4);
    };
    auto add_a = [&] { set.family("a_bytes", MetricType::kGauge, "A").set({}, 5); };
    if (reversed) {
      add_b();
      add_a();
    } else {
      add_a();
      add_b();
    }
    return set.render();
  };
  const std::string expected =
      "# HELP a_bytes A\n"
      "# TYPE a_bytes gauge\n"
      "a_bytes 5\n"
      "# HELP b_total B\n"
      "# TYPE b_total counter\n"
      "b_total{a=\"1\",z=\"9\"} 4\n"
      "b_total{a=\"2\",z=\"1\"} 3\n";
  EXPECT_EQ(build(false), expected);
  EXPECT_EQ(build(true), expected);
}

TEST(ExpositionTest, SetReplacesTheSampleWithTheSameLabels) {
  MetricSet set;
  auto& family = set.family("g", MetricType::kGauge, "G");
  family.set({{"x", "1"}, {"y", "2"}}, 1);
  family.set({{"y", "2"}, {"x", "1"}}, 2);
  // The same family again by name.
  set.family("g", MetricType::kGauge, "G").set({{"x", "1"}, {"y", "2"}}, 3);
  EXPECT_EQ(set.render(), "# HELP g G\n# TYPE g gauge\ng{x=\"1\",y=\"2\"} 3\n");
}

TEST(ExpositionTest, FamiliesWithoutSamplesAreLeftOut) {
  MetricSet set;
  set.family("empty", MetricType::kCounter, "nothing");
  EXPECT_EQ(set.render(), "");
}

TEST(ExpositionTest, HistogramIsCumulativeWithInfSumAndCount) {
  Histogram h = Histogram::with_bounds({0.1, 0.5, 1});
  for (double v : {0.05, 0.1, 0.3, 0.5, 0.7, 2.0, 30.0}) h.observe(v);
  // A value equal to a bound is in that bucket (le is "less or equal").
  EXPECT_EQ(h.counts, (std::vector<uint64_t>{2, 2, 1, 2}));
  EXPECT_EQ(h.count(), 7u);
  EXPECT_DOUBLE_EQ(h.sum, 33.65);

  MetricSet set;
  set.family("lat_seconds", MetricType::kHistogram, "Latency")
      .set_histogram({{"api", "GetObject"}}, h);
  set.family("lat_seconds", MetricType::kHistogram, "Latency")
      .set_histogram({{"api", "DeleteObject"}}, Histogram::with_bounds({0.1, 0.5, 1}));
  EXPECT_EQ(set.render(),
            "# HELP lat_seconds Latency\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{api=\"DeleteObject\",le=\"0.1\"} 0\n"
            "lat_seconds_bucket{api=\"DeleteObject\",le=\"0.5\"} 0\n"
            "lat_seconds_bucket{api=\"DeleteObject\",le=\"1\"} 0\n"
            "lat_seconds_bucket{api=\"DeleteObject\",le=\"+Inf\"} 0\n"
            "lat_seconds_sum{api=\"DeleteObject\"} 0\n"
            "lat_seconds_count{api=\"DeleteObject\"} 0\n"
            "lat_seconds_bucket{api=\"GetObject\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{api=\"GetObject\",le=\"0.5\"} 4\n"
            "lat_seconds_bucket{api=\"GetObject\",le=\"1\"} 5\n"
            "lat_seconds_bucket{api=\"GetObject\",le=\"+Inf\"} 7\n"
            "lat_seconds_sum{api=\"GetObject\"} 33.65\n"
            "lat_seconds_count{api=\"GetObject\"} 7\n");
}

TEST(ExpositionTest, HistogramWithoutLabels) {
  Histogram h = Histogram::with_bounds({1});
  h.observe(3);
  MetricSet set;
  set.family("h", MetricType::kHistogram, "H").set_histogram({}, h);
  EXPECT_EQ(set.render(),
            "# HELP h H\n# TYPE h histogram\n"
            "h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\nh_sum 3\nh_count 1\n");
}

TEST(ExpositionTest, ValidNames) {
  EXPECT_TRUE(is_valid_metric_name("minio_s3_requests_total"));
  EXPECT_TRUE(is_valid_metric_name("job:rate5m"));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_FALSE(is_valid_metric_name("1abc"));
  EXPECT_FALSE(is_valid_metric_name("a-b"));
  EXPECT_TRUE(is_valid_label_name("api"));
  EXPECT_TRUE(is_valid_label_name("_x1"));
  EXPECT_FALSE(is_valid_label_name("__reserved"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_FALSE(is_valid_label_name("9"));
}

}  // namespace
}  // namespace maxio::metrics
