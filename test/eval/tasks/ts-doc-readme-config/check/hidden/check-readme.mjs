// Hidden check: README.md's Configuration section lists every setting with its environment
// variable (if any) and its default value, one setting per line (a table row or a list item).
import fs from 'node:fs';

const settings = [
  ['server.host', 'ROOMBOOK_HOST', /127\.0\.0\.1/],
  ['server.port', 'ROOMBOOK_PORT', /\b8080\b/],
  ['server.maxBodyBytes', null, /65[,_ ]?536|64 ?Ki?B|64 ?\* ?1024/i],
  ['server.requestTimeoutMs', null, /\b10[,_ ]?000\b|\b10 ?s(econds?)?\b/],
  ['database.path', 'ROOMBOOK_DATABASE', /data\/roombook\.sqlite/],
  ['database.busyTimeoutMs', null, /\b2[,_ ]?000\b|\b2 ?s(econds?)?\b/],
  ['bookings.openingHour', 'ROOMBOOK_OPENING_HOUR', /\b0?8(:00)?\b/],
  ['bookings.closingHour', 'ROOMBOOK_CLOSING_HOUR', /\b18(:00)?\b/],
  ['bookings.minDurationMinutes', null, /\b15\b/],
  ['bookings.maxDurationMinutes', 'ROOMBOOK_MAX_BOOKING_MINUTES', /\b240\b/],
  ['bookings.maxDaysAhead', null, /\b90\b/],
  ['bookings.slotMinutes', null, /\b15\b/],
  ['api.defaultPageSize', 'ROOMBOOK_PAGE_SIZE', /\b25\b/],
  ['api.maxPageSize', null, /\b100\b/],
  ['log.level', 'ROOMBOOK_LOG_LEVEL', /\binfo\b/],
  ['log.format', 'ROOMBOOK_LOG_FORMAT', /\btext\b/],
];

const readme = fs.readFileSync('README.md', 'utf8');
const lines = readme.split('\n');
const start = lines.findIndex((l) => /^#{1,6}\s+.*\bconfiguration\b/i.test(l));
if (start === -1) {
  console.log('README.md has no Configuration section any more');
  process.exit(1);
}
const level = /^#+/.exec(lines[start])[0].length;
let end = lines.findIndex((l, i) => i > start && /^#+\s/.test(l) && /^#+/.exec(l)[0].length <= level);
if (end === -1) end = lines.length;
const section = lines.slice(start + 1, end);

const problems = [];
for (const [name, variable, value] of settings) {
  const key = name.split('.')[1];
  const mentions = section.filter((l) => new RegExp(`\\b${key}\\b`).test(l));
  if (mentions.length === 0) {
    problems.push(`${name}: not in the Configuration section`);
    continue;
  }
  if (!mentions.some((l) => value.test(l) && (!variable || l.includes(variable)))) {
    problems.push(`${name}: no line gives its default${variable ? ` and ${variable}` : ''}`);
  }
}
for (const heading of ['## HTTP API', '## Command line', '## Booking rules']) {
  if (!lines.includes(heading)) problems.push(`the section "${heading}" is gone`);
}
if (!readme.includes('ROOMBOOK_CONFIG')) problems.push('the explanation of where settings come from is gone');
if (problems.length) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log('the Configuration section lists every setting');
