; Definitions in Python. See typescript.scm for the capture convention.

(class_definition
  body: (block (function_definition name: (identifier) @name) @definition.method))
(class_definition
  body: (block (decorated_definition definition: (function_definition name: (identifier) @name) @definition.method)))
(function_definition name: (identifier) @name) @definition.function
(assignment left: (identifier) @name right: (lambda)) @definition.function
(class_definition name: (identifier) @name) @definition.class

; Module-level assignments; ALL_CAPS names become constants.
(module (expression_statement (assignment left: (identifier) @name) @definition.variable))
