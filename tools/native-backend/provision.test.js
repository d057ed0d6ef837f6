const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { findWheel, unpackWheel, ProvisionError } = require('./provision');

const script = path.join(__dirname, 'provision.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-provision-'));

describe('provision.js on an installed tree', () => {
  it('re-runs as a quick check that reports the native backend on libtensorflow 2.21', () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/\[native-backend\] ready: tfjs-node 4\.22\.0 on libtensorflow 2\.21\.\d+ \(backend tensorflow\)/);
    expect(r.stderr).not.toMatch(/building|unpacking|downloading/);
  });
});

describe('finding the wheel', () => {
  const saved = { PATH: process.env.PATH, DECAYLAB_TF_WHEEL: process.env.DECAYLAB_TF_WHEEL };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('names a DECAYLAB_TF_WHEEL path that does not exist', () => {
    process.env.DECAYLAB_TF_WHEEL = '/nowhere/tensorflow.whl';
    expect(() => findWheel(tmp())).toThrow(new ProvisionError('DECAYLAB_TF_WHEEL points to /nowhere/tensorflow.whl, which does not exist.'));
  });

  it('says how to provide the wheel when neither the cache nor pip has it', () => {
    // In a child with an empty PATH (Jest's process.env is not the one child_process reads).
    const probe = `try { require(${JSON.stringify(script)}).findWheel(${JSON.stringify(tmp())}); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { PATH: tmp() } });
    expect(r.stdout).toMatch(/^ProvisionError: neither pip nor python3 -m pip was found, and DECAYLAB_TF_WHEEL is not set\./);
    expect(r.stdout).toMatch(/set DECAYLAB_TF_WHEEL to a tensorflow-cpu 2\.21\.0 wheel file/);
  });

  it('uses a wheel already in the cache without calling pip', () => {
    delete process.env.DECAYLAB_TF_WHEEL;
    process.env.PATH = tmp();
    const cache = tmp();
    fs.mkdirSync(path.join(cache, 'wheel'));
    fs.writeFileSync(path.join(cache, 'wheel', 'tensorflow_cpu-2.21.0-x.whl'), '');
    expect(findWheel(cache)).toBe(path.join(cache, 'wheel', 'tensorflow_cpu-2.21.0-x.whl'));
  });
});

describe('unpacking the wheel', () => {
  it('rejects a file that is not a zip, naming it', async () => {
    const dir = tmp();
    const bogus = path.join(dir, 'bogus.whl');
    fs.writeFileSync(bogus, 'not a zip at all');
    await expect(unpackWheel(bogus, path.join(dir, 'out'))).rejects.toThrow(`${bogus} is not a readable wheel (zip)`);
  });

  it('rejects a zip without the tensorflow libraries and leaves nothing half-written', async () => {
    const dir = tmp();
    const zip = path.join(dir, 'empty.whl');
    // A valid, empty zip archive: just the end-of-central-directory record.
    fs.writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]));
    await expect(unpackWheel(zip, path.join(dir, 'out'))).rejects.toThrow(/does not contain libtensorflow_cc\.so\.2 and libtensorflow_framework\.so\.2/);
    expect(fs.readdirSync(dir).sort()).toEqual(['empty.whl']);
  });
});

describe('the command line on failure', () => {
  it('prints one clear error line, exits 1 and shows no stack trace', () => {
    // A copy of the script in an empty folder cannot find tfjs-node: the user-facing failure path end to end.
    const dir = tmp();
    fs.copyFileSync(script, path.join(dir, 'provision.js'));
    const r = spawnSync(process.execPath, [path.join(dir, 'provision.js')], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      '[native-backend] error: @tensorflow/tfjs-node is not installed in node_modules; run `npm install` (`npm ci` in the repository) first.',
    );
  });
});
