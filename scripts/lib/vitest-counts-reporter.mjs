// A silent vitest reporter: writes { passed, failed, total } to $VITEST_COUNTS_FILE at the end of the
// run, for the summary line. (vitest's JSON reporter would also print "JSON report written to ...".)
import { writeFileSync } from 'node:fs'

export default class CountsReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    let passed = 0
    let failed = 0
    let total = 0
    for (const module of testModules) {
      let failedHere = 0
      for (const test of module.children.allTests()) {
        total++
        const { state } = test.result()
        if (state === 'passed') passed++
        else if (state === 'failed') failedHere++
      }
      // A file that fails to load fails no test, yet the run failed: count it.
      failed += failedHere || (module.state() === 'failed' ? 1 : 0)
    }
    failed += unhandledErrors.length
    if (process.env.VITEST_COUNTS_FILE) {
      writeFileSync(process.env.VITEST_COUNTS_FILE, JSON.stringify({ passed, failed, total }))
    }
  }
}
