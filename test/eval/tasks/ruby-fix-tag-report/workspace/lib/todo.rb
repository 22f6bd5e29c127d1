# A to-do list kept in a text file: parsing, the list itself, and reports.
require_relative 'todo/item'
require_relative 'todo/parser'
require_relative 'todo/list'
require_relative 'todo/report'
