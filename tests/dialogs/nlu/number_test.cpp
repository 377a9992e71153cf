#include <doctest/doctest.h>

#include "rapport/dialogs/nlu.hpp"

using namespace rapport::dialogs::nlu;

TEST_CASE("numbers in digits") {
  CHECK(parse_number("40", "en") == 40);
  CHECK(parse_number("we're about 40 people", "en") == 40);
  CHECK(parse_number("1,200 seats", "en") == 1200);
  CHECK(parse_number("2.5", "en") == 2.5);
  CHECK(parse_number("-3", "en") == -3);
  CHECK(parse_number("about 40k", "en") == 40000);
}

TEST_CASE("digit separators follow the locale") {
  CHECK(parse_number("1.200 Leute", "de") == 1200);
  CHECK(parse_number("2,5 Stunden", "de") == 2.5);
  CHECK(parse_number("1.234,5", "de") == 1234.5);
  CHECK(parse_number("1,234.5", "en") == 1234.5);
  CHECK(parse_number("1 000 personnes", "fr") == 1000);
}

TEST_CASE("spelled-out numbers in English, German, Spanish and French") {
  CHECK(parse_number("about forty people", "en") == 40);
  CHECK(parse_number("forty-two", "en") == 42);
  CHECK(parse_number("two hundred and five", "en") == 205);
  CHECK(parse_number("three thousand five hundred", "en") == 3500);
  CHECK(parse_number("wir sind zweiundvierzig", "de") == 42);
  CHECK(parse_number("dreihundert", "de") == 300);
  CHECK(parse_number("zweitausenddreihundert", "de") == 2300);
  CHECK(parse_number("somos cuarenta y dos", "es") == 42);
  CHECK(parse_number("doscientos", "es") == 200);
  CHECK(parse_number("dos mil", "es") == 2000);
  CHECK(parse_number("quatre-vingt-dix", "fr") == 90);
  CHECK(parse_number("vingt et un", "fr") == 21);
}

TEST_CASE("spelled-out numbers in a non-Latin script") {
  CHECK(parse_number("四十二", "ja") == 42);
}

TEST_CASE("texts without a number give nothing") {
  CHECK_FALSE(parse_number("no idea", "en").has_value());
  CHECK_FALSE(parse_number("", "en").has_value());
  CHECK_FALSE(parse_number("\xFF\xFE", "en").has_value());
  CHECK_FALSE(parse_number("lots", "zz").has_value());
}

TEST_CASE("yes and no answers in four languages") {
  CHECK(parse_yes_no("Yes", "en") == true);
  CHECK(parse_yes_no("yeah sure", "en") == true);
  CHECK(parse_yes_no("nope", "en") == false);
  CHECK(parse_yes_no("no thanks", "en") == false);
  CHECK(parse_yes_no("Ja, gerne", "de") == true);
  CHECK(parse_yes_no("nein", "de") == false);
  CHECK(parse_yes_no("Sí", "es") == true);
  CHECK(parse_yes_no("no", "es") == false);
  CHECK(parse_yes_no("Oui !", "fr") == true);
  CHECK(parse_yes_no("non merci", "fr") == false);
  CHECK(parse_yes_no("ok", "de-AT") == true);
}

TEST_CASE("unclear answers are neither yes nor no") {
  CHECK_FALSE(parse_yes_no("not sure", "en").has_value());
  CHECK_FALSE(parse_yes_no("yes and no", "en").has_value());
  CHECK_FALSE(parse_yes_no("what is the price", "en").has_value());
  CHECK_FALSE(parse_yes_no("", "en").has_value());
  CHECK_FALSE(parse_yes_no("\xC3", "en").has_value());
}

TEST_CASE("a no is not turned into a yes by polite or incidental words") {
  CHECK(parse_yes_no("no thanks, not right now", "en") == false);
  CHECK(parse_yes_no("no, please don't", "en") == false);
  CHECK(parse_yes_no("absolutely not", "en") == false);
  CHECK(parse_yes_no("please", "en") == true);
  CHECK(parse_yes_no("yeah why not", "en") == true);
}
