#pragma once
// Reading values of an expected shape out of YAML nodes. Every helper reports what it expected
// and what it found ("expected a list of message keys, got a map") and returns nothing on error.
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/reporter.hpp"
#include "loader/yaml_tree.hpp"
#include "rapport/dialogs/value.hpp"

namespace rapport::dialogs::loader {

// "a map", "a list", "nothing", "the number 5", "true", "text 'hello'".
std::string describe(const node& n);

// Reports "expected <expected>, got <what n is>" at n.
void wrong_type(reporter& r, const node& n, std::string_view expected);

// Reports every key of `map` not in `allowed`, with a "did you mean" hint; `where` names the
// place ("a flow", "an ask step").
void check_keys(reporter& r, const node& map, const std::vector<std::string>& allowed,
                std::string_view where);
// Reports "<where> needs '<key>'" at the map when the key is missing; returns the value.
const node* required(reporter& r, const node& map, std::string_view key, std::string_view where);

// A map (null counts as an empty map when `null_is_empty`); nullptr after reporting otherwise.
const node* expect_map(reporter& r, const node& n, std::string_view expected,
                       bool null_is_empty = true);
// Items of a list; a single scalar counts as a one-item list when `single_ok`.
std::optional<std::vector<const node*>> expect_list(reporter& r, const node& n,
                                                    std::string_view expected,
                                                    bool single_ok = false);

std::optional<std::string> expect_text(reporter& r, const node& n, std::string_view expected);
// An identifier ([a-z][a-z0-9_]*); `what` names it ("flow name").
std::optional<std::string> expect_name(reporter& r, const node& n, std::string_view what);
std::optional<std::string> expect_message_key(reporter& r, const node& n);
std::optional<bool> expect_bool(reporter& r, const node& n);
std::optional<double> expect_number(reporter& r, const node& n, std::string_view expected);
std::optional<int> expect_integer(reporter& r, const node& n, int min, std::string_view expected);
std::optional<std::chrono::milliseconds> expect_duration(reporter& r, const node& n);

// A YAML scalar as a value: plain null/true/false/numbers become those, everything else text.
std::optional<value> scalar_value(const node& n);
std::optional<double> plain_number(const node& n);
std::optional<bool> plain_bool(const node& n);

}  // namespace rapport::dialogs::loader
