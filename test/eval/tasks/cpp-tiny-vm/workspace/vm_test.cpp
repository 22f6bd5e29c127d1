// Tests for run(): make test
#include <iostream>
#include <stdexcept>
#include "vm.hpp"

static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::cout << "FAIL line " << __LINE__ << ": " #cond << std::endl;        \
            failures++;                                                              \
        }                                                                            \
    } while (0)

template <typename E, typename F>
static bool throws(F f) {
    try {
        f();
    } catch (const E&) {
        return true;
    } catch (...) {
        return false;
    }
    return false;
}

int main() {
    try {
        auto r = run({"set a 5", "add a 2", "mul a 3", "sub a 1"});
        CHECK(r.size() == 1);
        CHECK(r["a"] == 20);

        r = run({"set x 4", "set y x", "add y y"});
        CHECK(r["x"] == 4);
        CHECK(r["y"] == 8);

        r = run({"set a 5", "set b 0", "add b 3", "sub a 1", "jnz a -2"});
        CHECK(r["a"] == 0);
        CHECK(r["b"] == 15);

        r = run({"jnz 1 2", "set skipped 1", "set c -7"});
        CHECK(r.count("skipped") == 0);
        CHECK(r["c"] == -7);
    } catch (const std::exception& e) {
        std::cout << "FAIL unexpected exception: " << e.what() << std::endl;
        failures++;
    }

    CHECK(throws<std::invalid_argument>([] { run({"jump a 1"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set a"}); }));
    CHECK(throws<std::runtime_error>([] { run({"set a 1", "jnz a 0"}, 1000); }));

    if (failures) {
        std::cout << failures << " check(s) failed" << std::endl;
        return 1;
    }
    std::cout << "all tests passed" << std::endl;
    return 0;
}
