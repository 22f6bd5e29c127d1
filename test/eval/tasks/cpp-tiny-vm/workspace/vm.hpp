#pragma once
#include <map>
#include <string>
#include <vector>

// Runs a program of the tiny register machine (one instruction per string) and returns every
// register an executed instruction assigned, with its final value. Throws std::invalid_argument
// for a malformed program (checked before running) and std::runtime_error after more than
// max_steps executed instructions.
std::map<std::string, long long> run(const std::vector<std::string>& program, long long max_steps = 100000);
