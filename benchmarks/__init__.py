"""Reports on the package and the site: speed, accuracy, page weight.

Run each as a module (``python -m benchmarks.speed``, ``benchmarks.accuracy_report``,
``benchmarks.site_report``). They measure and print; none of them fails on a number.
"""
