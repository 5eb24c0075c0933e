-- props_driver.lua: the Lua half of fuzz_props.c. Every constructor sfl offers is found
-- through sfl.introspect with its props schema; fuzz_props(data) then reads the fuzzer's
-- bytes as choices: which constructors to call, which props to give them and what values
-- (right kinds, wrong kinds, hostile tables: cyclic, erroring metatables, huge strings and
-- numbers, non-UTF-8 bytes). Every call is protected: a Lua error is an answer, only a
-- crash, a hang or a sanitizer report is a finding.
local cdk = require "sfl"
local sf = require "sfl.aws_stepfunctions"
local introspect = require "sfl.introspect"

local function is_class(v)
  local mt = getmetatable(v)
  return type(v) == "table" and type(mt) == "table" and rawget(mt, "__call") ~= nil
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do
    if type(k) == "string" then keys[#keys + 1] = k end
  end
  table.sort(keys)
  return keys
end

-- {name, cls, form ("scope", "app" or "value"), schema}, in a fixed order.
local ctors = {}
do
  local app = cdk.App()
  local stack = cdk.Stack(app, "Init")
  local n = 0
  -- The form whose describe call reads props and whose real call takes its arguments.
  local forms = {
    {"value", function() return {} end},
    {"scope", function(id) return stack, id, {} end},
    {"app", function(id) return app, id, {} end},
  }
  local function add(name, cls)
    for _, f in ipairs(forms) do
      n = n + 1
      local s = introspect.props_of(cls, f[2]("C" .. n))
      local ok, err = pcall(cls, f[2]("R" .. n))
      err = tostring(err)
      if s and (ok or not (err:find("bad argument") or err:find("props must be a table"))) then
        ctors[#ctors + 1] = {name = name, cls = cls, form = f[1], schema = s}
        return
      end
    end
  end
  local function walk(prefix, t, depth)
    for _, k in ipairs(sorted_keys(t)) do
      local v = rawget(t, k)
      if is_class(v) then
        add(prefix .. "." .. k, v)
      elseif type(v) == "table" and depth < 2 then
        walk(prefix .. "." .. k, v, depth + 1)
      end
    end
  end
  local names = {}
  for name in pairs(package.preload) do
    if (name == "sfl" or name:match("^sfl%.")) and name ~= "sfl.core"
       and name ~= "sfl.introspect" then
      names[#names + 1] = name
    end
  end
  table.sort(names)
  for _, name in ipairs(names) do walk(name, require(name), 0) end
  assert(#ctors > 20, "sfl.introspect found too few constructors")
end
fuzz_ctor_count = #ctors

local strings = {
  "", "$", "$.a", "$.a.b[0]", "$$.Execution.Id", "$$.Task.Token", "$[*]", "$..x", "$.a[?(@.b)]",
  "States.Format('{}', $.a)", "States.Array($.a, 1)", "States.JsonToString($)",
  'a"b\n', "\0", "\255\254", "\xed\xa0\x80", "${Token[TOKEN.1]}", "{{resolve:ssm:x}}",
  "arn:aws:states:::lambda:invoke", "arn:aws:lambda:us-east-1:123456789012:function:f",
  "States.ALL", "States.TaskFailed", "STANDARD", "EXPRESS", "nodejs18.x", "index.handler",
  "x", "A", "1", "-1", "1e400", "true", "null", "[]", "{}", "\\", "'", "%s%n", "..", "/",
}
local numbers = {
  0, 1, -1, 0.5, 3, 60, 100000, 2^31, 2^53, 2^63, 1e308, -1e308, math.huge, -math.huge,
  0/0, -0.0, math.maxinteger, math.mininteger, 1e-320, 99999999999,
}

local data, pos
local function byte()
  local b = data:byte(pos)
  pos = pos + 1
  return b or 0
end
local function pick(list) return list[byte() % #list + 1] end

local pool            -- values made so far in this input: states, machines, functions...

local function raw_string()
  local n = byte() % 32
  local first = pos
  pos = pos + n
  return data:sub(first, first + n - 1)
end

local hostile = {
  function() local t = {} t.self = t t[1] = t return t end,
  function() return setmetatable({}, {__index = function() error("index trap") end}) end,
  function() return setmetatable({}, {__pairs = function() error("pairs trap") end}) end,
  function() return setmetatable({}, {__len = function() return -5 end}) end,
  function() return setmetatable({}, {__gc = function() error("gc trap") end}) end,
  function() return setmetatable({a = 1}, {__index = function(t, k) return t end}) end,
  function() return string.rep("x", 70000) end,
  function() return function() error("callback trap") end end,
  function() return coroutine.create(function() end) end,
  function() local t = {} for i = 1, 300 do t = {t} end return t end,
  function() return {[1] = 1, [3] = 3, x = 2} end,
  function() return {[1.5] = 1, [true] = 2} end,
}

local value
local function list_of(gen, depth)
  local t = {}
  for i = 1, byte() % 4 do t[i] = gen(depth + 1) end
  return t
end

local function made(kind)
  local ok, v = pcall(function()
    if kind == 0 then return cdk.Duration.seconds(pick(numbers)) end
    if kind == 1 then return cdk.Duration.minutes(byte()) end
    if kind == 2 then return sf.JsonPath.string_at(pick(strings)) end
    if kind == 3 then return sf.JsonPath.list_at(pick(strings)) end
    if kind == 4 then return sf.JsonPath.number_at(pick(strings)) end
    if kind == 5 then return sf.TaskInput.from_object({a = value(3)}) end
    if kind == 6 then return sf.TaskInput.from_json_path_at(pick(strings)) end
    if kind == 7 then return sf.JsonPath.DISCARD end
    return sf.Pass(pool.stack, "P" .. pos)
  end)
  return ok and v or nil
end

value = function(depth)
  local k = byte() % (depth > 3 and 6 or 10)
  if k == 0 then return pick(strings) end
  if k == 1 then return raw_string() end
  if k == 2 then return pick(numbers) end
  if k == 3 then return byte() % 2 == 0 end
  if k == 4 then return #pool > 0 and pool[byte() % #pool + 1] or pool.stack end
  if k == 5 then return made(byte() % 9) end
  if k == 6 then return pick(hostile)() end
  if k == 7 then return list_of(value, depth) end
  local t = {}
  for _ = 1, byte() % 4 do t[pick(strings)] = value(depth + 1) end
  return t
end

local props_for
local function prop_value(p, depth)
  if byte() % 8 == 0 then return value(depth) end
  local kind = p.kind
  if kind == "enum" and p.values and #p.values > 0 then return pick(p.values) end
  if kind == "string" or kind == "str" or kind == "path" then return pick(strings) end
  if kind == "num" or kind == "int" then return pick(numbers) end
  if kind == "bool" or kind == "boolean" or kind == "ignored_true" then return byte() % 2 == 1 end
  if kind == "duration" then return made(byte() % 2) end
  if kind == "task_input" then return made(5 + byte() % 2) end
  if kind == "str_list" then return list_of(function() return pick(strings) end, depth) end
  if kind == "userdata" or kind == "chainable" then
    return #pool > 0 and pool[byte() % #pool + 1] or made(8)
  end
  if (kind == "struct" or kind == "nested") and p.sub and p.sub.props and depth < 4 then
    return props_for(p.sub, depth + 1)
  end
  if kind == "struct_list" and p.sub and p.sub.props and depth < 4 then
    return list_of(function(d) return props_for(p.sub, d) end, depth)
  end
  return value(depth + 1)
end

props_for = function(schema, depth)
  local t = {}
  for _, p in ipairs(schema.props) do
    if byte() % 3 ~= 0 then t[p.name] = prop_value(p, depth) end
  end
  if byte() % 16 == 0 then t[pick(strings)] = value(depth) end
  return t
end

local stacks = 0
function fuzz_props(bytes)
  data, pos = bytes, 1
  stacks = stacks + 1
  local app = cdk.App()
  pool = {stack = cdk.Stack(app, "S" .. stacks)}
  for i = 1, 1 + byte() % 4 do
    local c = ctors[(byte() * 256 + byte()) % #ctors + 1]
    local props = props_for(c.schema, 0)
    local ok, v
    if c.form == "scope" then
      ok, v = pcall(c.cls, pool.stack, "X" .. i, props)
    elseif c.form == "app" then
      ok, v = pcall(c.cls, app, "X" .. i, props)
    else
      ok, v = pcall(c.cls, props)
    end
    if ok and v ~= nil then pool[#pool + 1] = v end
  end
  for _, v in ipairs(pool) do
    if pcall(sf.DefinitionBody.from_chainable, v) then
      pcall(sf.StateMachine, pool.stack, "M", {definition_body = sf.DefinitionBody.from_chainable(v)})
      break
    end
  end
  collectgarbage("step")
end
