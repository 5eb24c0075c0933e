-- Writes lua-language-server (LuaLS) annotation stubs for sfl's whole Lua API, from what
-- the bindings themselves read (sfl.introspect): every constructor's props schema, every
-- type's methods and properties, every enum. Nothing is written by hand, so the stubs
-- cannot drift from the API.
--   lua5.4 tools/luals_stubs.lua OUTDIR        (with build/lua/?.so on package.cpath)
-- OUTDIR gets sfl.lua and sfl/<module>.lua; point LuaLS's workspace.library at it.
local outdir = assert(arg[1], "usage: lua5.4 tools/luals_stubs.lua OUTDIR")
local cdk = require "sfl"
local introspect = require "sfl.introspect"

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do
    if type(k) == "string" then keys[#keys + 1] = k end
  end
  table.sort(keys)
  return keys
end

local known_types = {}
for _, name in ipairs(introspect.types()) do known_types[name] = true end

-- Values that may stand for any value: CloudFormation tokens and JsonPath tokens.
local TOKEN = "sfl.Token|sfl.aws_stepfunctions.JsonPath"

local scalar_types = {
  string = "string", bool = "boolean", json = "any", str = "string|" .. TOKEN,
  num = "number|" .. TOKEN, int = "integer|" .. TOKEN, boolean = "boolean|" .. TOKEN,
  path = "string|" .. TOKEN, duration = "sfl.Duration", object = "table<string, any>",
  str_list = "string[]|" .. TOKEN, str_map = "table<string, string>",
  chainable = "sfl.aws_stepfunctions.IChainable",
  task_input = "sfl.aws_stepfunctions.TaskInput", ignored_true = "boolean",
}

local out_lines

local function emit(line) out_lines[#out_lines + 1] = line end

-- The LuaLS type of a prop; struct props get a class of their own, named after it.
local emit_props_class
local function prop_type(owner, p)
  if p.kind == "enum" then
    local parts = {}
    for i, v in ipairs(p.values or {}) do parts[i] = ("%q"):format(v) end
    return #parts > 0 and table.concat(parts, "|") or "string"
  elseif p.kind == "userdata" or p.kind == "userdata_list" then
    local t = #(p.types or {}) > 0 and table.concat(p.types, "|") or "any"
    return p.kind == "userdata_list" and "(" .. t .. ")[]" or t
  elseif p.kind == "userdata_map" then
    return "table<string, " .. (#(p.types or {}) > 0 and table.concat(p.types, "|") or "any")
      .. ">"
  elseif p.kind == "struct" or p.kind == "nested" or p.kind == "struct_list"
      or p.kind == "nested_list" then
    local cls = owner .. "." .. p.name:gsub("^%l", string.upper):gsub("_(%l)", string.upper)
    if p.sub.recursive then
      -- The struct holds itself: its class is the one being written around it.
      cls = owner
    else
      emit_props_class(cls, p.sub)
    end
    return (p.kind == "struct_list" or p.kind == "nested_list") and cls .. "[]" or cls
  end
  return scalar_types[p.kind] or "any"
end

local pending = {}
emit_props_class = function(cls, schema)
  pending[#pending + 1] = { cls = cls, schema = schema }
end

local function flush_pending()
  local i = 1
  while pending[i] do
    local item = pending[i]
    emit("")
    emit(("---@class %s"):format(item.cls))
    for _, p in ipairs(item.schema.props) do
      emit(("---@field %s%s %s"):format(p.name, p.required and "" or "?",
                                        prop_type(item.cls, p)))
    end
    i = i + 1
  end
  pending = {}
end

-- What an instance offers: its methods and properties.
local function emit_instance(type_name)
  local members = introspect.members_of(type_name)
  if not members then return end
  emit("")
  emit(("---@class %s"):format(type_name))
  table.sort(members.methods)
  for _, m in ipairs(members.methods) do
    emit(("---@field %s fun(self: %s, ...: any): any"):format(m, type_name))
  end
  for _, p in ipairs(members.properties or {}) do
    emit(("---@field %s any"):format(p))
  end
end

local app = cdk.App()
local stack = cdk.Stack(app, "Stubs")

-- A constructor's props: as a construct (scope, id, props) under a stack or an app, else
-- as a value (props).
local ids = 0
local function schema_of(cls)
  ids = ids + 1
  local id = "Stubs" .. ids
  return introspect.props_of(cls, stack, id, {}) or introspect.props_of(cls, app, id, {})
      or introspect.props_of(cls, {})
end

local function is_class(v)
  local mt = getmetatable(v)
  return type(v) == "table" and type(mt) == "table" and rawget(mt, "__call") ~= nil
end

local function is_enum(v)
  if type(v) ~= "table" or is_class(v) then return false end
  for _, x in pairs(v) do
    if type(x) ~= "string" then return false end
  end
  return next(v) ~= nil
end

local emit_table

local function emit_class(fqn, cls)
  local schema = schema_of(cls)
  local instance = known_types[fqn] and fqn or "any"
  if schema then
    emit_props_class(fqn .. "Props", schema)
    flush_pending()
  end
  if known_types[fqn] then emit_instance(fqn) end
  emit("")
  emit(("---@class %s.class"):format(fqn))
  if schema and schema.props and (schema.what or ""):find("'") then
    emit(("---@overload fun(scope: sfl.constructs.Construct, id: string, props?: %sProps): %s")
      :format(fqn, instance))
  elseif schema then
    emit(("---@overload fun(props?: %sProps): %s"):format(fqn, instance))
  else
    emit(("---@overload fun(...: any): %s"):format(instance))
  end
  emit_table(fqn, cls, true)
end

-- The members of a module or class table: classes, enums, functions, constants.
emit_table = function(fqn, t, in_class)
  local fields = {}
  for _, k in ipairs(sorted_keys(t)) do
    local v = t[k]
    local child = fqn .. "." .. k
    if is_class(v) then
      fields[#fields + 1] = ("---@field %s %s.class"):format(k, child)
    elseif is_enum(v) then
      fields[#fields + 1] = ("---@field %s %s"):format(k, child)
    elseif type(v) == "function" then
      fields[#fields + 1] = ("---@field %s fun(...: any): any"):format(k)
    elseif type(v) == "table" then
      fields[#fields + 1] = ("---@field %s %s"):format(k, child)
    else
      fields[#fields + 1] = ("---@field %s %s"):format(k, type(v))
    end
  end
  for _, f in ipairs(fields) do emit(f) end
  for _, k in ipairs(sorted_keys(t)) do
    local v = t[k]
    local child = fqn .. "." .. k
    if is_class(v) then
      emit_class(child, v)
    elseif is_enum(v) then
      emit("")
      emit(("---@class %s"):format(child))
      for _, m in ipairs(sorted_keys(v)) do
        emit(("---@field %s %q"):format(m, v[m]))
      end
    elseif type(v) == "table" and not in_class then
      emit("")
      emit(("---@class %s"):format(child))
      emit_table(child, v, false)
    end
  end
end

local function module_names()
  local names = {}
  for name in pairs(package.preload) do
    if (name == "sfl" or name:match("^sfl%.")) and name ~= "sfl.core"
       and name ~= "sfl.introspect" then
      names[#names + 1] = name
    end
  end
  table.sort(names)
  return names
end

assert(os.execute("mkdir -p '" .. outdir .. "/sfl'"))
local written = 0
for _, name in ipairs(module_names()) do
  local mod = require(name)
  out_lines = {}
  emit(("---@meta %s"):format(name))
  emit("-- Generated by tools/luals_stubs.lua from sfl.introspect: do not edit.")
  if name == "sfl" then
    emit("")
    emit("---@alias sfl.aws_stepfunctions.IChainable "
         .. table.concat(introspect.types(true), "|"))
  end
  emit("")
  emit(("---@class %s"):format(name))
  emit_table(name, mod, false)
  flush_pending()
  local types = introspect.types()
  table.sort(types)
  for _, t in ipairs(types) do
    -- Types with no class of their own (IChainable, IStateMachine...): their members.
    if t:sub(1, #name + 1) == name .. "." and not t:sub(#name + 2):find("%.")
       and rawget(mod, t:sub(#name + 2)) == nil then
      emit_instance(t)
    end
  end
  emit("")
  emit(("---@type %s"):format(name))
  emit("local M = {}")
  emit("return M")
  local file = name == "sfl" and outdir .. "/sfl.lua"
               or outdir .. "/sfl/" .. name:gsub("^sfl%.", "") .. ".lua"
  local f = assert(io.open(file, "w"))
  f:write(table.concat(out_lines, "\n"), "\n")
  f:close()
  written = written + 1
end
io.stderr:write(("luals_stubs: %d modules written to %s\n"):format(written, outdir))
