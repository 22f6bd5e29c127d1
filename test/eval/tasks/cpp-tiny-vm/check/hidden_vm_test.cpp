#include <iostream>
#include <stdexcept>
#include "vm.hpp"

static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::cout << "FAIL hidden line " << __LINE__ << ": " #cond << std::endl; \
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
        CHECK(run({}).empty());

        auto r = run({"set   a    3", "add a -10"});
        CHECK(r["a"] == -7);

        r = run({"set a 1", "jnz a 1", "set b 2"});
        CHECK(r["b"] == 2);

        r = run({"jnz 0 5", "set a 9"});
        CHECK(r["a"] == 9);

        r = run({"set a 1", "jnz a -5", "set b 1"});
        CHECK(r.count("b") == 0);
        CHECK(r["a"] == 1);

        r = run({"jnz 1 7", "set a 1"});
        CHECK(r.empty());

        r = run({"set n 10", "set f 1", "mul f n", "sub n 1", "jnz n -2"});
        CHECK(r["f"] == 3628800);
        CHECK(r["n"] == 0);

        r = run({"set big 3000000000", "mul big 3"});
        CHECK(r["big"] == 9000000000LL);

        r = run({"add z unknown"});
        CHECK(r.size() == 1);
        CHECK(r.count("unknown") == 0);
        CHECK(r["z"] == 0);

        r = run({"set i 0", "set j 3", "add i 1", "sub j 1", "jnz j -2"});
        CHECK(r["i"] == 3);

        r = run({"set a 2", "jnz a 2", "jnz 1 3", "sub a 1", "jnz 1 -3"});
        CHECK(r["a"] == 0);

        r = run({"set a 1", "jnz a 2", "set a 5", "add a 1"}, 3);
        CHECK(r["a"] == 2);
    } catch (const std::exception& e) {
        std::cout << "FAIL unexpected exception: " << e.what() << std::endl;
        failures++;
    }

    CHECK(throws<std::invalid_argument>([] { run({"set A 1"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set a1 1"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set 5 1"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set a 1 2"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set a 1x"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set a -"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set a --1"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"jnz 1 a"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"jnz 1"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set a 1", ""}); }));
    CHECK(throws<std::invalid_argument>([] { run({"set a 1", "   "}); }));
    CHECK(throws<std::invalid_argument>([] { run({"SET a 1"}); }));
    CHECK(throws<std::invalid_argument>([] { run({"jnz 1 2", "bogus"}); }));
    CHECK(throws<std::runtime_error>([] { run({"jnz 1 0"}, 50); }));
    CHECK(throws<std::runtime_error>([] { run({"set a 1", "jnz a 0"}); }));
    CHECK(throws<std::runtime_error>([] { run({"set a 1", "add a 1", "add a 1"}, 2); }));
    CHECK(!throws<std::runtime_error>([] { run({"set a 1", "add a 1", "add a 1"}, 3); }));

    if (failures) {
        std::cout << failures << " hidden check(s) failed" << std::endl;
        return 1;
    }
    std::cout << "all hidden tests passed" << std::endl;
    return 0;
}
