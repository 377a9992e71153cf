#pragma once
// The widget's static files (widget.js, the demo page, CSS...), embedded in the binary from
// connectors/src/widget/assets/ and served with content types, ETags and cache headers.
#include <string>
#include <string_view>

#include "http/types.hpp"

namespace rapport::connectors::widget {

struct asset {
  std::string_view body;
  std::string content_type;
  std::string etag;           // strong, quoted: "\"<hash>\""
  std::string cache_control;  // widget.js: short max-age; pages: no-cache; others: an hour
};

// The asset at `path` (relative to the assets folder, e.g. "widget.js"), or nullptr.
const asset* find_asset(std::string_view path);

// 200 with the file, 304 when If-None-Match matches, 404 when unknown. HEAD gets no body.
response asset_response(std::string_view path, const request& req);

std::string content_type_for(std::string_view path);

}  // namespace rapport::connectors::widget
