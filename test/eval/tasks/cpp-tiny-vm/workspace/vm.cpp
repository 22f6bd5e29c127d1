#include "vm.hpp"

#include <stdexcept>

std::map<std::string, long long> run(const std::vector<std::string>& program, long long max_steps) {
    (void)program;
    (void)max_steps;
    throw std::logic_error("run is not implemented yet");
}
