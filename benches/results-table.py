"""Prints a hyperfine JSON export as the README's Markdown table (median, min, max per command)."""
import json
import sys

print("| command | median | min | max |")
print("|---|---|---|---|")
for result in json.load(open(sys.argv[1]))["results"]:
    ms = lambda seconds: f"{seconds * 1000:.1f} ms"
    print(f"| {result['command']} | {ms(result['median'])} | {ms(result['min'])} | {ms(result['max'])} |")
