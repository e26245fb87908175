# The real-program workload of the allocator benchmark: dicts, lists, strings, bytes.
import json
d = {}
for i in range(120000):
    d["k%d" % i] = {"n": i, "s": str(i) * (i % 9), "l": list(range(i % 11))}
blob = json.dumps(d)
back = json.loads(blob)
words = sorted(blob[i:i + 12] for i in range(0, len(blob), 97))
print(len(back), len(words), sum(len(w) for w in words))
