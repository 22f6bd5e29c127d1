#include <climits>
#include <iostream>
#include <stdexcept>
#include "range_set.hpp"

static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::cout << "FAIL hidden line " << __LINE__ << ": " #cond << std::endl; \
            failures++;                                                              \
        }                                                                            \
    } while (0)

template <typename F>
static bool throws_invalid(F f) {
    try {
        f();
    } catch (const std::invalid_argument&) {
        return true;
    } catch (...) {
        return false;
    }
    return false;
}

using Ranges = std::vector<std::pair<int, int>>;

int main() {
    try {
        RangeSet s;
        s.add(20, 30);
        s.add(1, 2);
        s.add(10, 12);
        CHECK(s.str() == "[1,2] [10,12] [20,30]");
        s.add(3, 19);
        CHECK(s.str() == "[1,30]");
        s.add(0, 0);
        s.add(31, 31);
        CHECK((s.ranges() == Ranges{{0, 31}}));
        s.add(5, 6);
        CHECK(s.str() == "[0,31]");

        RangeSet t;
        t.add(1, 3);
        t.add(5, 7);
        t.add(9, 11);
        t.add(2, 10);
        CHECK(t.str() == "[1,11]");
        t.remove(1, 1);
        t.remove(11, 20);
        CHECK(t.str() == "[2,10]");
        t.remove(-5, 0);
        t.remove(5, 5);
        CHECK(t.str() == "[2,4] [6,10]");
        t.remove(3, 7);
        CHECK(t.str() == "[2,2] [8,10]");
        CHECK(t.count() == 4);
        t.remove(0, 100);
        CHECK(t.str() == "");
        CHECK(t.ranges().empty());
        CHECK(t.count() == 0);

        RangeSet u;
        u.add(-10, -5);
        u.add(-4, -4);
        CHECK(u.str() == "[-10,-4]");
        CHECK(u.contains(-10) && u.contains(-4) && !u.contains(-11) && !u.contains(-3));
        u.add(-2, 2);
        CHECK(u.str() == "[-10,-4] [-2,2]");
        u.remove(-10, -10);
        u.remove(2, 2);
        CHECK(u.str() == "[-9,-4] [-2,1]");
        CHECK(u.count() == 10);

        RangeSet big;
        big.add(INT_MIN, INT_MAX);
        CHECK(big.count() == 4294967296LL);
        CHECK(big.contains(INT_MIN) && big.contains(INT_MAX));
        big.remove(0, 0);
        CHECK((big.ranges() == Ranges{{INT_MIN, -1}, {1, INT_MAX}}));
        big.remove(INT_MAX, INT_MAX);
        big.remove(INT_MIN, INT_MIN);
        CHECK((big.ranges() == Ranges{{INT_MIN + 1, -1}, {1, INT_MAX - 1}}));
        big.add(INT_MAX, INT_MAX);
        big.add(INT_MIN, INT_MIN);
        big.add(0, 0);
        CHECK((big.ranges() == Ranges{{INT_MIN, INT_MAX}}));

        RangeSet e;
        CHECK(throws_invalid([&] { e.add(1, 0); }));
        CHECK(throws_invalid([&] { e.remove(1, 0); }));
        e.add(7, 7);
        CHECK(throws_invalid([&] { e.remove(8, 7); }));
        CHECK(e.str() == "[7,7]");
        e.remove(7, 7);
        CHECK(e.str() == "");

        const RangeSet& view = s;
        CHECK(view.contains(31) && view.count() == 32);
    } catch (const std::exception& ex) {
        std::cout << "FAIL unexpected exception: " << ex.what() << std::endl;
        failures++;
    }
    if (failures) {
        std::cout << failures << " hidden check(s) failed" << std::endl;
        return 1;
    }
    std::cout << "all hidden tests passed" << std::endl;
    return 0;
}
