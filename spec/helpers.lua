-- Helpers shared by the specs: running the sfl CLI, writing throwaway apps, reading
-- JSON, and comparing templates the way shared/tools/cfn-compare does.
local json = require "dkjson"

local M = {}

M.root = os.getenv("SFL_SOURCE_DIR") or os.getenv("PWD") or "."
M.build = os.getenv("SFL_BUILD_DIR") or (M.root .. "/build")
M.sfl = os.getenv("SFL_BIN") or (M.build .. "/sfl")

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
M.quote = shell_quote

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end
M.read_file = read_file

local tmp_root = os.tmpname()
os.remove(tmp_root)
assert(os.execute("mkdir -p " .. shell_quote(tmp_root)))
M.tmp = tmp_root

local counter = 0
-- A fresh folder under the spec run's temporary folder.
function M.tmpdir()
  counter = counter + 1
  local d = ("%s/d%d"):format(tmp_root, counter)
  assert(os.execute("mkdir -p " .. shell_quote(d)))
  return d
end

-- Writes `source` as `name` (default app.lua) in a fresh folder; returns its path.
function M.write_app(source, name)
  local dir = M.tmpdir()
  local path = dir .. "/" .. (name or "app.lua")
  local f = assert(io.open(path, "wb"))
  f:write(source)
  f:close()
  return path, dir
end

-- Writes each `files[name] = content` under dir (making the folders a name has).
function M.write_files(dir, files)
  for name, content in pairs(files or {}) do
    local sub = name:match("^(.*)/")
    if sub then assert(os.execute("mkdir -p " .. M.quote(dir .. "/" .. sub))) end
    local f = assert(io.open(dir .. "/" .. name, "wb"))
    f:write(content)
    f:close()
  end
end

-- Runs a command line; returns stdout, stderr and the exit status.
function M.run(cmd, cwd)
  local out, err = os.tmpname(), os.tmpname()
  local full = ("%s%s >%s 2>%s"):format(cwd and ("cd " .. shell_quote(cwd) .. " && ") or "",
                                        cmd, out, err)
  local ok, how, code = os.execute(full)
  local stdout, stderr = read_file(out), read_file(err)
  os.remove(out)
  os.remove(err)
  if how == "signal" then
    error(("command killed by signal %d: %s\n%s"):format(code, cmd, stderr))
  end
  return stdout, stderr, ok and 0 or code
end

-- Runs `sfl ARGS...` (each argument quoted); returns stdout, stderr, status.
function M.sfl_run(args, cwd)
  local parts = { shell_quote(M.sfl) }
  for _, a in ipairs(args) do parts[#parts + 1] = shell_quote(a) end
  return M.run(table.concat(parts, " "), cwd)
end

function M.decode(text)
  local value, _, err = json.decode(text, 1, json.null)
  assert(value ~= nil, err)
  return value
end

function M.read_json(path)
  return M.decode(read_file(path))
end

-- {============ template comparison (the rules of shared/tools/cfn-compare)

local function placeholder(token)
  local fn, arg = next(token)
  if fn == "Ref" then return "${Ref:" .. arg .. "}" end
  if fn == "Fn::GetAtt" then return "${Fn::GetAtt:" .. table.concat(arg, ".") .. "}" end
  -- Quotes would end the JSON string the placeholder sits in.
  return "${" .. fn .. ":" .. json.encode(arg):gsub('"', "'") .. "}"
end

local function definition_text(value)
  if type(value) == "string" then return value end
  local join = value["Fn::Join"]
  assert(join, "unsupported DefinitionString form")
  local parts = {}
  for i, p in ipairs(join[2]) do
    parts[i] = type(p) == "string" and p or placeholder(p)
  end
  return table.concat(parts, join[1])
end

local function normalize(t)
  if t.Parameters then t.Parameters.BootstrapVersion = nil end
  if t.Rules then t.Rules.CheckBootstrapVersion = nil end
  if t.Conditions then t.Conditions.CDKMetadataAvailable = nil end
  for _, section in ipairs { "Parameters", "Rules", "Conditions" } do
    if t[section] and next(t[section]) == nil then t[section] = nil end
  end
  for _, res in pairs(t.Resources or {}) do
    res.Metadata = nil
    if res.Type == "AWS::StepFunctions::StateMachine" and res.Properties.DefinitionString then
      res.Properties.DefinitionString = M.decode(definition_text(res.Properties.DefinitionString))
    end
  end
  return t
end

local function diff(a, b, path, out)
  if type(a) ~= type(b) then
    out[#out + 1] = ("%s: expected %s, got %s"):format(path, json.encode(a), json.encode(b))
  elseif type(a) == "table" then
    for k, v in pairs(a) do
      if b[k] == nil then
        out[#out + 1] = ("%s/%s: missing"):format(path, tostring(k))
      else
        diff(v, b[k], path .. "/" .. tostring(k), out)
      end
    end
    for k in pairs(b) do
      if a[k] == nil then out[#out + 1] = ("%s/%s: unexpected"):format(path, tostring(k)) end
    end
  elseif a ~= b then
    out[#out + 1] = ("%s: expected %s, got %s"):format(path, json.encode(a), json.encode(b))
  end
end

-- The differences between two templates (an empty list when they are equivalent).
function M.template_diff(expected_path, actual_path)
  local out = {}
  diff(normalize(M.read_json(expected_path)), normalize(M.read_json(actual_path)), "", out)
  table.sort(out)
  return out
end

-- }============

-- shared/tools/cfn-compare, when the project's shared folder sits beside the checkout.
function M.cfn_compare_tool()
  local path = os.getenv("SFL_CFN_COMPARE") or (M.root .. "/../shared/tools/cfn-compare")
  local f = io.open(path, "r")
  if not f then return nil end
  f:close()
  return path
end

-- The three things an error spec does with apps that start with `prelude` (its line count
-- is worked out, so messages are expected at the body's own line numbers), each with the
-- optional `files` (name -> content) written beside app.lua first:
-- synth(body, files) -> stdout, stderr, status, dir; fails_with(body, line, msg, files)
-- asserts the one error `app.lua:LINE: msg` and exit 1; template(body, files) -> the stack
-- "S"'s template and the folder. `lines` is the prelude's line count.
function M.app_checker(prelude)
  local assert = require "luassert"
  local _, lines = prelude:gsub("\n", "")
  local function synth(body, files)
    local _, dir = M.write_app(prelude .. body)
    M.write_files(dir, files)
    local stdout, stderr, status = M.sfl_run({ "synth", "app.lua", "-o", dir .. "/out" }, dir)
    return stdout, stderr, status, dir
  end
  local function fails_with(body, line, msg, files)
    local stdout, stderr, status = synth(body, files)
    assert.are.equal("", stdout)
    assert.are.equal(("app.lua:%d: %s\n"):format(lines + line, msg), stderr)
    assert.are.equal(1, status)
  end
  local function template(body, files)
    local _, stderr, status, dir = synth(body, files)
    assert.are.equal("", stderr)
    assert.are.equal(0, status)
    return M.read_json(dir .. "/out/S.template.json"), dir
  end
  return { synth = synth, fails_with = fails_with, template = template, lines = lines }
end

-- {============ the fake AWS endpoint (spec/fakeaws, see its README.md)

-- AWS settings that would leak from the caller's environment into an sfl run against the
-- fake endpoint: sfl_env unsets each before it sets the ones it is given.
local AWS_VARS = {
  "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_CA_BUNDLE", "SFL_HTTP_TIMEOUT",
}

local function write_file(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- Runs `sfl ARGS...` with the environment `env` (name -> value; false unsets), after
-- unsetting every AWS setting of the caller's own environment; `stdin` (text) is fed to
-- it when given. Returns stdout, stderr, status.
function M.sfl_env(env, args, cwd, stdin)
  local parts = { "env" }
  for _, name in ipairs(AWS_VARS) do parts[#parts + 1] = "-u " .. name end
  local names = {}
  for name in pairs(env or {}) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    if env[name] then parts[#parts + 1] = shell_quote(name .. "=" .. tostring(env[name])) end
  end
  parts[#parts + 1] = shell_quote(M.sfl)
  for _, a in ipairs(args) do parts[#parts + 1] = shell_quote(a) end
  local input = os.tmpname()
  write_file(input, stdin or "")
  local stdout, stderr, status = M.run(table.concat(parts, " ") .. " <" .. shell_quote(input), cwd)
  os.remove(input)
  return stdout, stderr, status
end

local Fake = {}
Fake.__index = Fake

local function fake_script(name)
  return M.root .. "/spec/fakeaws/" .. name
end

-- Sends one request through spec/fakeaws/client.py (one process per server, fed a JSON
-- line per request); `req` holds its options by name (service, action, params = {k = v},
-- method, path, query, headers = {"Name: value"}, body, target, key, secret, token, date,
-- no_sign, tamper, timeout). Returns the decoded {status, headers, body} (status 0 and
-- `error` when the connection closed unanswered).
function Fake:request(req)
  if not self.client then
    local fifo = self.dir .. "/client.out"
    assert(os.execute("rm -f " .. shell_quote(fifo) .. " && mkfifo " .. shell_quote(fifo)))
    self.client = assert(io.popen(("exec python3 %s %s --stdio >%s"):format(
      shell_quote(fake_script("client.py")), shell_quote(self.url), shell_quote(fifo)), "w"))
    self.replies = assert(io.open(fifo, "r"))
  end
  self.client:write(json.encode(req), "\n")
  self.client:flush()
  local line = self.replies:read("l")
  assert(line, "spec/fakeaws/client.py ended")
  return M.decode(line)
end

-- A control call (unsigned); returns the decoded JSON answer.
function Fake:control(method, what, data)
  local reply = self:request { method = method, path = "/_fake/" .. what, no_sign = true,
                               body = data and json.encode(data) or nil }
  assert(reply.status == 200, ("/_fake/%s answered %s: %s"):format(what, tostring(reply.status),
                                                                    tostring(reply.body)))
  return M.decode(reply.body)
end

function Fake:fault(spec) return self:control("POST", "fault", spec) end
function Fake:log() return self:control("GET", "log") end
function Fake:state() return self:control("GET", "state") end
function Fake:seed(data) return self:control("POST", "state", data) end
function Fake:reset() return self:control("POST", "reset") end
-- Temporary credentials valid for `seconds` (negative: already expired).
function Fake:credentials(seconds) return self:control("POST", "credentials", { seconds = seconds }) end

-- Stops the server (closing its stdin ends it) and waits for it to exit.
function Fake:stop()
  if self.client then
    self.client:close()
    self.replies:close()
    self.client = nil
  end
  if self.pipe then
    self.pipe:close()
    self.pipe = nil
  end
end
Fake.__gc = Fake.stop
Fake.__close = Fake.stop

-- Starts spec/fakeaws/fakeaws.py on a free 127.0.0.1 port. The object has .url, .env (the
-- environment for sfl_env: endpoint, the example keys, us-east-1, empty config and
-- credentials files, a temporary HOME, instance metadata disabled), .dir (its folder, with
-- server.log) and the methods above. The server ends when the spec process does.
function M.fakeaws(opts)
  opts = opts or {}
  local dir = M.tmpdir()
  local port_file = dir .. "/port"
  local cmd = ("exec python3 %s --port-file %s%s >%s 2>&1"):format(
    shell_quote(fake_script("fakeaws.py")), shell_quote(port_file),
    opts.account and (" --account " .. shell_quote(opts.account)) or "",
    shell_quote(dir .. "/server.log"))
  local self = setmetatable({ dir = dir, pipe = assert(io.popen(cmd, "w")) }, Fake)
  local port
  for _ = 1, 500 do
    local f = io.open(port_file, "r")
    if f then
      port = f:read("n")
      f:close()
      if port then break end
    end
    os.execute("sleep 0.02")
  end
  if not port then
    self:stop()
    error("fakeaws did not start: " .. (io.open(dir .. "/server.log"):read("a") or ""))
  end
  self.url = "http://127.0.0.1:" .. math.tointeger(port)
  write_file(dir .. "/config", "")
  write_file(dir .. "/credentials", "")
  assert(os.execute("mkdir -p " .. shell_quote(dir .. "/home")))
  self.env = {
    AWS_ENDPOINT_URL = self.url,
    AWS_ACCESS_KEY_ID = "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_REGION = "us-east-1",
    AWS_CONFIG_FILE = dir .. "/config",
    AWS_SHARED_CREDENTIALS_FILE = dir .. "/credentials",
    HOME = dir .. "/home",
    AWS_EC2_METADATA_DISABLED = "true",
  }
  return self
end

-- }============

return M
