"""The loaders of the business records' import kinds (DESIGN.md §4.2 ⚑): declared as data in
:mod:`.fact_kinds`, built in :mod:`.facts`; their columns are declared in
:mod:`kaopei.facts.import_kinds`, which registers both."""
