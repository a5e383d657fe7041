import { describe, expect, it } from 'vitest';
import { ciBuildId } from './git.js';

describe('ciBuildId', () => {
  it('names the build of the CI services it knows, and nothing elsewhere', () => {
    expect(ciBuildId({ GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' })).toBe('github:42.2');
    expect(ciBuildId({ CI_PIPELINE_ID: '7' })).toBe('gitlab:7');
    expect(ciBuildId({ CIRCLE_WORKFLOW_ID: 'w-1' })).toBe('circleci:w-1');
    expect(ciBuildId({ BUILDKITE_BUILD_ID: 'b' })).toBe('buildkite:b');
    expect(ciBuildId({ BUILD_BUILDID: '9', SYSTEM_TEAMPROJECTID: 'p' })).toBe('azure:p.9');
    expect(ciBuildId({ BUILD_TAG: 'jenkins-shop-12', JENKINS_URL: 'http://ci/' })).toBe('jenkins:jenkins-shop-12');
    // A BUILD_TAG outside Jenkins, or plain CI=true, is no build id.
    expect(ciBuildId({ BUILD_TAG: 'x', CI: 'true' })).toBeNull();
  });
});
