// The browser project's environment: Node's, and it tells the test file which test failed, so that
// test/setup/browser-failures.ts can keep a screenshot of every page the failed test left open.
const { TestEnvironment } = require('jest-environment-node');

class BrowserTestEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name === 'test_start') this.global.__liaisonFailedTest = null;
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure')
      this.global.__liaisonFailedTest = event.test ? event.test.name : 'a hook';
  }
}

module.exports = BrowserTestEnvironment;
