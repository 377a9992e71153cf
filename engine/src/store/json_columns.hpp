#pragma once
// Columns the store keeps as JSON text: message buttons and a bot version's files.
#include <string>
#include <string_view>
#include <vector>

#include "rapport/dialogs/conversation.hpp"
#include "rapport/dialogs/loader.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::engine::sqlite {

std::string buttons_to_json(const std::vector<dialogs::button>& buttons);
std::vector<dialogs::button> buttons_from_json(std::string_view json);

std::string files_to_json(const dialogs::bot_files& files);
// false when the text is not a JSON object of strings.
bool files_from_json(std::string_view json, dialogs::bot_files& files);

author author_from_string(std::string_view s);

std::string strings_to_json(const std::vector<std::string>& strings);
std::vector<std::string> strings_from_json(std::string_view json);

}  // namespace rapport::engine::sqlite
