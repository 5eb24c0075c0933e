-- What the CloudFormation specs (bootstrap_spec, destroy_spec) share: stacks made in the fake
-- endpoint directly (as another tool would have made them), and output with the event
-- times masked.
local h = require "helpers"

local M = {}

local function cfn(fake, action, params)
  local reply = fake:request { service = "cloudformation", action = action, params = params }
  assert(reply.status == 200, action .. ": " .. tostring(reply.body))
  return reply.body
end

-- Creates stack `name` from template text `body` through a change set, and polls it until
-- it settles; returns its final status.
function M.create_stack(fake, name, body)
  cfn(fake, "CreateChangeSet", { StackName = name, ChangeSetName = "setup",
                                 ChangeSetType = "CREATE", TemplateBody = body,
                                 ["Capabilities.member.1"] = "CAPABILITY_IAM" })
  local status
  for _ = 1, 20 do
    status = cfn(fake, "DescribeChangeSet", { StackName = name, ChangeSetName = "setup" })
      :match("<Status>(.-)</Status>")
    if status ~= "CREATE_IN_PROGRESS" and status ~= "CREATE_PENDING" then break end
  end
  assert(status == "CREATE_COMPLETE", "change set " .. tostring(status))
  cfn(fake, "ExecuteChangeSet", { StackName = name, ChangeSetName = "setup" })
  for _ = 1, 100 do
    status = cfn(fake, "DescribeStacks", { StackName = name })
      :match("<StackStatus>(.-)</StackStatus>")
    if not status:match("_IN_PROGRESS$") then return status end
  end
  error("stack " .. name .. " did not settle: " .. status)
end

-- The requests the fake got after the first `skip` (CloudFormation, STS, SSM, S3), in
-- order, as "Action status"; and how many there are in all.
function M.actions(fake, skip)
  local seen, log = {}, fake:log()
  for i = (skip or 0) + 1, #log do
    local entry = log[i]
    seen[#seen + 1] = (entry.action or entry.method or "?") .. " " .. tostring(entry.status)
  end
  return seen, #log
end

function M.count(list, item)
  local n = 0
  for _, x in ipairs(list) do
    if x == item then n = n + 1 end
  end
  return n
end

-- Event times ("1:05:09 PM") as TIME, so whole outputs can be compared.
function M.mask(text)
  return (text:gsub("%d%d?:%d%d:%d%d [AP]M", "TIME"))
end

local function environment(fake)
  local env = { SFL_POLL_INTERVAL = "0.01" }
  for k, v in pairs(fake.env) do env[k] = v end
  return env
end

-- sfl with the fake's environment, polling CloudFormation fast.
function M.sfl(fake, args, cwd, stdin)
  return h.sfl_env(environment(fake), args, cwd, stdin)
end

-- The same as a shell command line, for specs that run it in a terminal or signal it;
-- `extra` adds environment variables.
function M.command(fake, args, extra)
  local cmd, env = { "env" }, environment(fake)
  for k, v in pairs(extra or {}) do env[k] = v end
  for k, v in pairs(env) do cmd[#cmd + 1] = h.quote(k .. "=" .. v) end
  cmd[#cmd + 1] = h.quote(h.sfl)
  for _, a in ipairs(args) do cmd[#cmd + 1] = h.quote(a) end
  return table.concat(cmd, " ")
end

-- Runs sfl with `args` on a terminal (script(1)) and types `answer` and Enter; returns the
-- output without the terminal's echo of the answer, stderr and the exit status (as h.run). The echo lands
-- where the typing meets sfl: at the start, after a line, or after the question (y/n)?
-- when sfl asked first, as it does on a loaded machine; the echo must be there once.
function M.on_terminal(fake, args, answer)
  local out, err, status = h.run(("printf %s | script -qec %s /dev/null"):format(
    h.quote(answer .. "\n"), h.quote(M.command(fake, args))))
  local init = 1
  while true do
    local at, stop = out:find(answer .. "\r?\n", init)
    assert(at, "the terminal's echo of '" .. answer .. "' in:\n" .. out)
    local before = out:sub(1, at - 1)
    if at == 1 or before:sub(-1) == "\n" or before:sub(-2) == "? " then
      return before .. out:sub(stop + 1), err, status
    end
    init = at + 1
  end
end

-- Waits (up to a minute, for a loaded machine) until done() is true.
function M.wait_until(what, done)
  for _ = 1, 1200 do
    if done() then return end
    os.execute("sleep 0.05")
  end
  error("gave up waiting for " .. what)
end

-- Runs sfl with `args` in the background and sends it SIGINT once ready(log) is true of
-- the fake's request log (so the signal comes at the moment the spec means, however
-- loaded the machine is); returns stdout, stderr and the exit status.
function M.interrupt(fake, args, extra, ready)
  local dir = h.tmpdir()
  local out, err, pid, status = dir .. "/stdout", dir .. "/stderr", dir .. "/pid", dir .. "/status"
  local sh = ("%s </dev/null >%s 2>%s & echo $! >%s; wait $!; echo $? >%s.tmp; mv %s.tmp %s")
    :format(M.command(fake, args, extra), h.quote(out), h.quote(err), h.quote(pid),
            h.quote(status), h.quote(status), h.quote(status), h.quote(status))
  os.execute("sh -c " .. h.quote(sh) .. " &")
  M.wait_until("the moment to interrupt sfl", function() return ready(fake:log()) end)
  os.execute("kill -INT $(cat " .. h.quote(pid) .. ")")
  local code
  M.wait_until("sfl to exit", function()
    local f = io.open(status)
    code = f and f:read("n")
    if f then f:close() end
    return code ~= nil
  end)
  return h.read_file(out), h.read_file(err), code
end

-- Whether the log, after its first `skip` entries, has a request for `action` after one for
-- `first` (sfl had the answer to `first`, since it went on).
function M.after(log, first, action, skip)
  local seen = false
  for i = (skip or 0) + 1, #log do
    if seen and log[i].action == action then return true end
    seen = seen or log[i].action == first
  end
  return false
end

return M
