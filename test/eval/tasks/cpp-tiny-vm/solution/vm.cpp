#include "vm.hpp"

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace {

bool is_register(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < 'a' || c > 'z') return false;
    return true;
}

bool is_literal(const std::string& s) {
    size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
    if (start == s.size()) return false;
    for (size_t i = start; i < s.size(); i++)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

struct Instruction {
    std::string op;
    std::string a;
    std::string b;
};

Instruction parse(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    bool arithmetic = !words.empty() && (words[0] == "set" || words[0] == "add" || words[0] == "sub" || words[0] == "mul");
    bool jump = !words.empty() && words[0] == "jnz";
    if ((!arithmetic && !jump) || words.size() != 3) throw std::invalid_argument("malformed instruction: '" + line + "'");
    bool value_ok = is_register(jump ? words[1] : words[2]) || is_literal(jump ? words[1] : words[2]);
    bool target_ok = jump ? is_literal(words[2]) : is_register(words[1]);
    if (!value_ok || !target_ok) throw std::invalid_argument("bad operand in: '" + line + "'");
    return {words[0], words[1], words[2]};
}

}  // namespace

std::map<std::string, long long> run(const std::vector<std::string>& program, long long max_steps) {
    std::vector<Instruction> code;
    for (const auto& line : program) code.push_back(parse(line));

    std::map<std::string, long long> regs;
    auto value = [&](const std::string& v) -> long long {
        if (is_literal(v)) return std::stoll(v);
        auto it = regs.find(v);
        return it == regs.end() ? 0 : it->second;
    };
    long long steps = 0;
    for (long long ip = 0; ip >= 0 && ip < static_cast<long long>(code.size());) {
        if (++steps > max_steps) throw std::runtime_error("more than " + std::to_string(max_steps) + " steps");
        const Instruction& in = code[ip];
        if (in.op == "jnz") {
            ip += value(in.a) != 0 ? std::stoll(in.b) : 1;
            continue;
        }
        long long v = value(in.b), r = value(in.a);
        if (in.op == "set") r = v;
        else if (in.op == "add") r += v;
        else if (in.op == "sub") r -= v;
        else r *= v;
        regs[in.a] = r;
        ip++;
    }
    return regs;
}
