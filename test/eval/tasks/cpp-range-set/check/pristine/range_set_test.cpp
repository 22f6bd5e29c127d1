// Tests for RangeSet: make test
#include <iostream>
#include <stdexcept>
#include "range_set.hpp"

static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::cout << "FAIL line " << __LINE__ << ": " #cond << std::endl;        \
            failures++;                                                              \
        }                                                                            \
    } while (0)

static void test_empty() {
    RangeSet s;
    CHECK(s.str() == "");
    CHECK(s.count() == 0);
    CHECK(!s.contains(0));
}

static void test_add_and_contains() {
    RangeSet s;
    s.add(1, 3);
    s.add(10, 10);
    CHECK(s.str() == "[1,3] [10,10]");
    CHECK(s.contains(2));
    CHECK(!s.contains(4));
    CHECK(s.count() == 4);
}

static void test_overlapping_and_touching_ranges_merge() {
    RangeSet s;
    s.add(5, 8);
    s.add(1, 3);
    s.add(2, 6);
    CHECK(s.str() == "[1,8]");
    s.add(9, 12);
    CHECK(s.str() == "[1,12]");
    CHECK((s.ranges() == std::vector<std::pair<int, int>>{{1, 12}}));
}

static void test_remove_splits() {
    RangeSet s;
    s.add(1, 10);
    s.remove(4, 6);
    CHECK(s.str() == "[1,3] [7,10]");
    CHECK(s.count() == 7);
}

static void test_bad_range() {
    RangeSet s;
    bool thrown = false;
    try {
        s.add(5, 4);
    } catch (const std::invalid_argument&) {
        thrown = true;
    } catch (...) {
    }
    CHECK(thrown);
}

int main() {
    try {
        test_empty();
        test_add_and_contains();
        test_overlapping_and_touching_ranges_merge();
        test_remove_splits();
        test_bad_range();
    } catch (const std::exception& e) {
        std::cout << "FAIL unexpected exception: " << e.what() << std::endl;
        failures++;
    }
    if (failures) {
        std::cout << failures << " check(s) failed" << std::endl;
        return 1;
    }
    std::cout << "all tests passed" << std::endl;
    return 0;
}
