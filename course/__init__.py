"""Course tooling for the book: the student edition, the coding-exercise stubs and the graded assignments.

* :mod:`course.editions` writes the student edition (``student/``) from the chapters, with every solution removed.
* :mod:`course.stubs` finds the stub + solution pairs of the coding exercises and checks that a stub only replaces
  code of its solution by ``...``.
* :mod:`course.assignments` runs otter-grader over ``assignments/<chapter>/``: it produces the student notebook and
  the autograder, and proves that the grader gives the master's solution full marks, a blank notebook zero and a wrong
  submission something in between.

None of this is part of :mod:`wmlib`: a researcher who installs the library does not need it.
"""
