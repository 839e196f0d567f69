"""The instructor's gradebook: many learners' progress files into a CSV and an HTML chart.

``labkit gradebook PATHS... --csv out.csv --html out.html`` (see ``docs/gradebook.md``). By job:
``course`` (the exercises, read from ``labkit/checks`` without importing the sandbox), ``reading``
(find and check the files), ``csv_file`` and ``html_page`` (the two outputs). Importing this
package loads neither moto nor boto3.
"""

from __future__ import annotations

from .course import CourseExercise, course_exercises
from .csv_file import csv_text, write_csv
from .html_page import chart_counts, chart_svg, html_text, write_html
from .reading import Gradebook, LearnerRecord, Skipped, find_progress_files, read_gradebook

__all__ = [
    "CourseExercise",
    "Gradebook",
    "LearnerRecord",
    "Skipped",
    "chart_counts",
    "chart_svg",
    "course_exercises",
    "csv_text",
    "find_progress_files",
    "html_text",
    "read_gradebook",
    "write_csv",
    "write_html",
]
