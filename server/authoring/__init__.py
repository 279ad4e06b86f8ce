"""Rule authoring, apart from the pages that drive it: a change to the rules (changes),
packs and their files (packs), the checks a change must pass (validation, regex_safety),
its effect on the regression corpus (regression), its diff (diffs), review and publishing
(review), and the live panel's check of a pasted email against draft rules (live).
"""
