// Words for people, as server/wording.py says them: "1 email", "3 emails", "2 policies".

export function plural(count, singular, many = `${singular}s`) {
  return `${count} ${count === 1 ? singular : many}`;
}
