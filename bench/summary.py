"""Print the benchmark's table and combine its runs into one JSON file.

    python bench/summary.py OUTPUT.json SMALL.json LARGE.json

SMALL and LARGE are bench.py results of the same office at two sizes (the
second with more companies); the peak memory of their initial imports is
compared to show it does not grow with the number of companies.
"""
import json
import sys

# The import's time over the larger bound it may take, per protocol (REST: issue 13).
TARGET_RATIOS = {'soap': 1.5, 'rest': 1.3}
MAX_CALLS_PER_SECOND = 150


def target(result):
    return TARGET_RATIOS[result.get('protocol', 'soap')]


def table(result):
    initial, no_change = result['initial'], result['no_change']
    rows = [
        ('', 'initial import', 'no-change import'),
        ('wall time (s)', initial['wall_s'], no_change['wall_s']),
        ('%s calls' % result.get('protocol', 'soap').upper(), initial['calls'], no_change['calls']),
        ('  downloads', initial['downloads'], no_change['downloads']),
        ('  document polls', initial.get('polls', 0), no_change.get('polls', 0)),
        ('max calls in 1 s', initial['max_calls_per_second'], no_change['max_calls_per_second']),
        ('documents created', initial['documents_created'], no_change['documents_created']),
        ('attachments created', initial['attachments_created'], no_change['attachments_created']),
        ('bytes downloaded', initial['bytes_downloaded'], no_change['bytes_downloaded']),
        ('documents per second', initial['documents_per_second'], no_change['documents_per_second']),
        ('peak RSS (MB)', initial['peak_rss_mb'], no_change['peak_rss_mb']),
    ]
    lines = ['%d companies, %.0f ms latency, %d concurrent downloads, load average %.2f' % (
        result['companies'], result['latency_s'] * 1000, result['concurrency'], result['load_average'])]
    lines += ['  %-22s %16s %18s' % row for row in rows]
    lines.append('  calls by operation (initial / no-change):')
    for operation in sorted(set(initial['calls_by_operation']) | set(no_change['calls_by_operation'])):
        lines.append('    %-58s %6d %6d' % (operation, initial['calls_by_operation'].get(operation, 0),
                                            no_change['calls_by_operation'].get(operation, 0)))
    lines.append('  API bound %.1f s, storage bound %.1f s: import / larger bound = %.2f (target <= %.1f)' % (
        result['api_bound_s'], result['storage_bound_s'], result['ratio_to_larger_bound'], target(result)))
    return '\n'.join(lines)


def main(output, *paths):
    results = []
    for path in paths:
        with open(path) as file:
            results.append(json.load(file))
    for result in results:
        print(table(result))
        print()
    small, large = results[0], results[-1]
    rss_ratio = large['initial']['peak_rss_mb'] / small['initial']['peak_rss_mb']
    checks = {
        'ratio_to_larger_bound': large['ratio_to_larger_bound'],
        'within_target': all(result['ratio_to_larger_bound'] <= target(result) for result in results),
        'no_change_downloads': sum(result['no_change']['downloads'] for result in results),
        'no_change_documents_created': sum(result['no_change']['documents_created'] for result in results),
        'max_calls_per_second': max(result[run]['max_calls_per_second']
                                    for result in results for run in ('initial', 'no_change')),
        'peak_rss_mb': {small['companies']: small['initial']['peak_rss_mb'],
                        large['companies']: large['initial']['peak_rss_mb']},
        'peak_rss_ratio': round(rss_ratio, 3),
    }
    print('Peak RSS of the initial import: %.0f MB at %d companies, %.0f MB at %d companies (ratio %.2f)' % (
        small['initial']['peak_rss_mb'], small['companies'], large['initial']['peak_rss_mb'], large['companies'],
        rss_ratio))
    print('Most calls in any second: %d (limit %d); no-change import: %d downloads, %d documents created' % (
        checks['max_calls_per_second'], MAX_CALLS_PER_SECOND, checks['no_change_downloads'],
        checks['no_change_documents_created']))
    with open(output, 'w') as file:
        json.dump({'runs': results, 'checks': checks}, file, indent=2)
    print('Written to %s' % output)


if __name__ == '__main__':
    main(*sys.argv[1:])
