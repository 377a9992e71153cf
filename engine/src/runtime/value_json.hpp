#pragma once
// Dialog values ⇄ JSON text, for analytics properties and handoff summaries.
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "rapport/dialogs/value.hpp"

namespace rapport::engine::detail {

std::string to_json(const dialogs::value_map& values);
boost::json::object to_json_object(const dialogs::value_map& values);
// Objects of null, booleans, numbers and strings; anything else is skipped.
dialogs::value_map value_map_from_json(std::string_view json);

}  // namespace rapport::engine::detail
