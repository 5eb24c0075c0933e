-- cmake --install gives other C tools what they need: examples/embed.c builds against an
-- install in a temporary prefix, once through pkg-config and once through
-- find_package(sfl), and runs. Tagged #install: not run against sanitized builds (a
-- plain program cannot load a sanitized libsfl).
local h = require "helpers"

describe("an installed sfl #install", function()
  local prefix, embed_src, app

  setup(function()
    prefix = h.tmpdir()
    local _, err, status = h.run(("cmake --install %s --prefix %s"):format(h.quote(h.build),
                                                                          h.quote(prefix)))
    assert(status == 0, err)
    embed_src = h.root .. "/examples/embed.c"
    app = h.root .. "/examples/seed06_emr_args.lua"
  end)

  local function check_run(exe)
    local out, err, status = h.run(("LD_LIBRARY_PATH=%s/lib %s %s"):format(h.quote(prefix),
                                   h.quote(exe), h.quote(app)))
    assert.are.equal(0, status, err)
    assert.matches("^== seed06%-emr%-args/hello_workflow\n{\n  \"StartAt\": \"Create Cluster\"",
                   out)
    assert.truthy(out:find('"Args.$": "$.hoge.Payload"', 1, true))
  end

  it("has the tool, library, header, pkg-config file, CMake package and Lua module", function()
    for _, f in ipairs { "bin/sfl", "include/sfl.h", "lib/pkgconfig/sfl.pc",
                         "lib/cmake/sfl/sflConfig.cmake", "lib/lua/5.4/sfl.so", "lib/libsfl.a",
                         "share/man/man1/sfl.1", "share/sfl/luals/sfl.lua",
                         "share/sfl/luals/sfl/aws_stepfunctions.lua" } do
      assert.truthy(io.open(prefix .. "/" .. f), f)
    end
  end)

  it("builds embed.c with pkg-config", function()
    local exe = prefix .. "/embed-pc"
    local _, err, status = h.run(("PKG_CONFIG_PATH=%s/lib/pkgconfig cc %s $(PKG_CONFIG_PATH=%s/lib"
      .. "/pkgconfig pkg-config --cflags --libs sfl) -o %s"):format(h.quote(prefix),
      h.quote(embed_src), h.quote(prefix), h.quote(exe)))
    assert.are.equal(0, status, err)
    check_run(exe)
  end)

  it("links embed.c statically with libsfl.a (pkg-config --static)", function()
    local exe = prefix .. "/embed-static"
    local pc = ("PKG_CONFIG_PATH=%s/lib/pkgconfig"):format(h.quote(prefix))
    local _, err, status = h.run(("cc %s -I%s/include %s/lib/libsfl.a $(%s pkg-config --static "
      .. "--libs-only-l --libs-only-other sfl | sed 's/-lsfl//') -o %s"):format(h.quote(embed_src),
      h.quote(prefix), h.quote(prefix), pc, h.quote(exe)))
    assert.are.equal(0, status, err)
    local ldd = h.run("ldd " .. h.quote(exe))
    assert.is_nil(ldd:find("libsfl", 1, true))
    check_run(exe)
  end)

  it("builds embed.c with find_package(sfl)", function()
    local b = prefix .. "/cmake-build"
    local _, err, status = h.run(("cmake -S %s/spec/install -B %s -DCMAKE_PREFIX_PATH=%s "
      .. "-DEMBED_SOURCE=%s >/dev/null && cmake --build %s >/dev/null"):format(h.quote(h.root),
      h.quote(b), h.quote(prefix), h.quote(embed_src), h.quote(b)))
    assert.are.equal(0, status, err)
    check_run(b .. "/embed")
  end)

  it("loads the installed sfl.so in a stock lua5.4", function()
    local out, err, status = h.run(("lua5.4 -e 'package.cpath=%q; local cdk = require \"sfl\";"
      .. " print(cdk.VERSION)'"):format(prefix .. "/lib/lua/5.4/?.so"))
    assert.are.equal(0, status, err)
    assert.matches("^%d+%.%d+%.%d+\n$", out)
  end)
end)
