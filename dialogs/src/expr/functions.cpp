#include "expr/functions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "expr/local_time.hpp"
#include "expr/number_text.hpp"
#include "expr/operators.hpp"
#include "expr/utf8_text.hpp"

namespace rapport::dialogs::expr {

namespace {

using args_t = std::span<const value>;

const std::string* as_text(const value& v) {
  return std::get_if<std::string>(&v);
}
const double* as_number(const value& v) {
  return std::get_if<double>(&v);
}

// ---- time ----------------------------------------------------------------------------------

// The zone of a time function: its optional argument, else the context's zone. nullopt (the
// function yields null) when the argument is not text or the zone is unknown.
std::optional<local_time> local_now(args_t args, std::size_t zone_index,
                                    const evaluation_context& context) {
  if (args.size() > zone_index) {
    const std::string* zone = as_text(args[zone_index]);
    if (!zone) return std::nullopt;
    return to_local_time(context.now, *zone);
  }
  return to_local_time(context.now, context.time_zone);
}

value fn_hour(args_t args, const evaluation_context& context) {
  auto t = local_now(args, 0, context);
  return t ? value{static_cast<double>(t->hour)} : value{};
}

value fn_minute(args_t args, const evaluation_context& context) {
  auto t = local_now(args, 0, context);
  return t ? value{static_cast<double>(t->minute)} : value{};
}

value fn_weekday(args_t args, const evaluation_context& context) {
  auto t = local_now(args, 0, context);
  return t ? value{static_cast<double>(t->weekday)} : value{};
}

value fn_date(args_t args, const evaluation_context& context) {
  auto t = local_now(args, 0, context);
  if (!t) return {};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", t->year, t->month, t->day);
  return std::string(buffer);
}

value fn_time(args_t args, const evaluation_context& context) {
  auto t = local_now(args, 0, context);
  if (!t) return {};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", t->hour, t->minute);
  return std::string(buffer);
}

value fn_between(args_t args, const evaluation_context& context) {
  const std::string* start_text = as_text(args[0]);
  const std::string* end_text = as_text(args[1]);
  if (!start_text || !end_text) return {};
  auto start = parse_clock_time(*start_text);
  auto end = parse_clock_time(*end_text);
  auto t = local_now(args, 2, context);
  if (!start || !end || !t) return {};
  const long long now = t->millisecond_of_day;
  if (*start <= *end) return now >= *start && now < *end;
  return now >= *start || now < *end;  // overnight, e.g. 22:00-06:00
}

std::optional<function_def::check_failure> check_between(std::span<const value* const> literals) {
  for (std::size_t i = 0; i < 2 && i < literals.size(); ++i) {
    if (!literals[i]) continue;
    const std::string* text = as_text(*literals[i]);
    if (!text || !parse_clock_time(*text)) {
      return function_def::check_failure{
          i, std::string("expected a time of day like \"09:00\" as the ") +
                 (i == 0 ? "start" : "end") + " of between(), found " + to_literal(*literals[i])};
    }
  }
  return std::nullopt;
}

// ---- text ----------------------------------------------------------------------------------

value fn_len(args_t args, const evaluation_context&) {
  if (is_null(args[0])) return 0.0;
  return static_cast<double>(count_code_points(to_text(args[0])));
}

value fn_lower(args_t args, const evaluation_context&) {
  if (is_null(args[0])) return {};
  return to_lower(to_text(args[0]));
}

value fn_upper(args_t args, const evaluation_context&) {
  if (is_null(args[0])) return {};
  return to_upper(to_text(args[0]));
}

template <typename Test>
value text_test(args_t args, Test test) {
  if (is_null(args[0]) || is_null(args[1])) return false;
  return test(to_text(args[0]), to_text(args[1]));
}

value fn_contains(args_t args, const evaluation_context&) {
  return text_test(args, [](const std::string& a, const std::string& b) {
    return a.find(b) != std::string::npos;
  });
}

value fn_starts_with(args_t args, const evaluation_context&) {
  return text_test(args, [](const std::string& a, const std::string& b) {
    return std::string_view(a).starts_with(b);
  });
}

value fn_ends_with(args_t args, const evaluation_context&) {
  return text_test(args, [](const std::string& a, const std::string& b) {
    return std::string_view(a).ends_with(b);
  });
}

value fn_is_set(args_t args, const evaluation_context&) {
  const std::string* text = as_text(args[0]);
  return !is_null(args[0]) && !(text && text->empty());
}

value fn_text(args_t args, const evaluation_context&) {
  return to_text(args[0]);
}

// ---- numbers -------------------------------------------------------------------------------

value fn_number(args_t args, const evaluation_context&) {
  if (const double* n = as_number(args[0])) return *n;
  if (const std::string* text = as_text(args[0])) {
    if (auto n = parse_number_text(*text)) return *n;
  }
  return {};
}

value fn_round(args_t args, const evaluation_context&) {
  const double* x = as_number(args[0]);
  if (!x) return {};
  double digits = 0;
  if (args.size() > 1) {
    const double* d = as_number(args[1]);
    if (!d || *d != std::floor(*d) || *d < -15 || *d > 15) return {};
    digits = *d;
  }
  const double factor = std::pow(10.0, digits);
  const double rounded = std::round(*x * factor) / factor;
  if (!std::isfinite(rounded)) return {};
  return rounded == 0 ? 0.0 : rounded;  // no "-0"
}

value fn_abs(args_t args, const evaluation_context&) {
  const double* x = as_number(args[0]);
  return x ? value{std::fabs(*x)} : value{};
}

// min/max: all numbers, or all texts (compared by code point); anything else gives null.
value extreme(args_t args, int wanted_sign) {
  const value* best = &args[0];
  for (const value& v : args) {
    auto order = compare_values(v, *best);
    if (!order) return {};
    if (*order == wanted_sign) best = &v;
  }
  return *best;
}

value fn_min(args_t args, const evaluation_context&) {
  return extreme(args, -1);
}

value fn_max(args_t args, const evaluation_context&) {
  return extreme(args, 1);
}

const function_def functions[] = {
    {"hour", 0, 1, "hour(zone?)", fn_hour},
    {"minute", 0, 1, "minute(zone?)", fn_minute},
    {"weekday", 0, 1, "weekday(zone?)", fn_weekday},
    {"date", 0, 1, "date(zone?)", fn_date},
    {"time", 0, 1, "time(zone?)", fn_time},
    {"between", 2, 3, "between(start, end, zone?)", fn_between, check_between},
    {"len", 1, 1, "len(text)", fn_len},
    {"lower", 1, 1, "lower(text)", fn_lower},
    {"upper", 1, 1, "upper(text)", fn_upper},
    {"contains", 2, 2, "contains(text, part)", fn_contains},
    {"starts_with", 2, 2, "starts_with(text, prefix)", fn_starts_with},
    {"ends_with", 2, 2, "ends_with(text, suffix)", fn_ends_with},
    {"is_set", 1, 1, "is_set(value)", fn_is_set},
    {"number", 1, 1, "number(value)", fn_number},
    {"text", 1, 1, "text(value)", fn_text},
    {"round", 1, 2, "round(number, digits?)", fn_round},
    {"abs", 1, 1, "abs(number)", fn_abs},
    {"min", 2, -1, "min(a, b, ...)", fn_min},
    {"max", 2, -1, "max(a, b, ...)", fn_max},
};

}  // namespace

const function_def* find_function(std::string_view name) {
  for (const auto& f : functions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::vector<std::string>& function_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& f : functions) out.emplace_back(f.name);
    return out;
  }();
  return names;
}

}  // namespace rapport::dialogs::expr
